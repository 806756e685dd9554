#pragma once
// Decides what each HTTP request means and answers it, from the route table.
// Independent of Beast: http_session hands it the request head as soon as the
// headers are in (so a request that will be refused is refused before its body is
// read), then the whole request.
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/client_limits.hpp"
#include "api/route_call.hpp"
#include "api/route_table.hpp"

namespace lb::gateway {

struct preflight_result {
    std::optional<api_response> refusal;  // answer this and read nothing more
    const route* found = nullptr;
    std::size_t body_limit = 4 << 10;
    request_target target;
    std::vector<std::pair<std::string_view, std::string>> params;
    const engine::contest* contest = nullptr;
    caller who;
    std::string label = "unmatched";  // the metric label: the route's pattern
};

class api_router {
public:
    explicit api_router(app_context& app);

    // From the request line and headers alone (body empty): the route, the body limit,
    // the caller, or the answer refusing the request (400, 401, 404, 405).
    preflight_result preflight(const api_request& head) const;

    // Answers once, always: a refusal from preflight, or the route's handler, inside the
    // error boundary. The body is in `request` now.
    void dispatch(preflight_result pre, api_request request, respond_fn respond);

    caller identify(const std::string& authorization) const;
    // The largest body any route accepts (a webhook's).
    std::size_t largest_body_limit() const { return largest_body_limit_; }

private:
    void with_participant(route_call& call, respond_fn respond);
    void with_session(route_call& call, respond_fn respond);
    // A 429 when the client has used up the bucket (taking a token when `take`).
    std::optional<api_response> limited(client_limits::bucket which, const std::string& client, bool take) const;
    // The client's address: the peer, or the first untrusted hop of X-Forwarded-For behind a trusted proxy.
    std::string client_of(const std::string& peer, const std::map<std::string, std::string>& headers) const;
    app_context& app_;
    route_table table_;
    mutable client_limits limits_;
    mutable std::atomic<const engine::config*> limits_from_;  // the generation limits_ was set from
    mutable std::mutex limits_reload_;
    std::size_t largest_body_limit_ = 0;
};

// The public description of contests: settings, teams and participants; never secrets.
std::string contests_json(const engine::config& config);
std::string contest_json(const engine::contest& c, bool with_participants = true);

// Serves a file of static/ by plain name ("" for index.html), refusing anything else.
api_response static_file(const std::string& dir, const std::string& name);

}  // namespace lb::gateway
