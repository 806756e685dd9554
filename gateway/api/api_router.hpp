#pragma once
// Decides what each HTTP request means and answers it. Independent of Beast:
// http_session hands it an api_request and sends back the api_response.
#include <functional>
#include <string>

#include "api/api_types.hpp"
#include "award_store.hpp"
#include "contest.hpp"
#include "app/metrics.hpp"
#include "receiver.hpp"
#include "redis_types.hpp"
#include "redis_url.hpp"
#include "api/request_target.hpp"

namespace lb::gateway {

class contest_sync;

struct app_context {
    const engine::config& config;
    engine::redis_executor& redis;
    std::function<bool()> redis_ready;
    std::string admin_token;  // empty: admin routes refuse every request
    std::string static_dir;
    metrics& counters;
    webhooks::receiver* receiver = nullptr;  // null: this process does not receive webhooks
    std::string role = "all";                // "webhooks": hooks and health only
    contest_sync* sync = nullptr;            // re-reads the roster after an admin changed it
    engine::redis_endpoint redis_endpoint;   // recompute opens its own blocking connection
};

class api_router {
public:
    explicit api_router(app_context& app) : app_(app), store_(app.redis) {}
    // Takes the request by value: a webhook body moves on to the receiver without a copy.
    void handle(api_request request, respond_fn respond);

private:
    void route_hook(const std::string& host, api_request&& request, respond_fn respond);
    void route_contest(const engine::contest& c, const request_target& target, const api_request& request,
                       respond_fn respond);
    void standings(const engine::contest& c, const request_target& target, bool admin, respond_fn respond);
    void participant(const engine::contest& c, const std::string& pid, bool admin, respond_fn respond);
    void history(const engine::contest& c, const request_target& target, bool admin, respond_fn respond);
    void events(const engine::contest& c, const request_target& target, bool admin, respond_fn respond);
    void adjustment(const engine::contest& c, const api_request& request, respond_fn respond);
    void unattributed(const engine::contest& c, respond_fn respond);
    void audit(const engine::contest& c, respond_fn respond);
    bool is_admin(const api_request& request) const;

    app_context& app_;
    engine::award_store store_;
};

api_response json_ok(const nlohmann::json& body, int status = 200);
api_response redis_failure(const std::string& detail);  // 503 with the store's error

// The public description of contests: settings, teams and participants; never secrets.
std::string contests_json(const engine::config& config);
std::string contest_json(const engine::contest& c);

// Serves a file of static/ for "/" or "/<name>", refusing anything that is not a plain file name.
api_response static_file(const std::string& dir, const request_target& target);

}  // namespace lb::gateway
