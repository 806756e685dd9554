#pragma once
// A signed-in visitor: the host accounts they proved, kept server-side under the SHA-256 of a
// random session id (the id lives only in the visitor's HttpOnly cookie), revocable, expiring.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/route_call.hpp"
#include "sign_in.hpp"

namespace lb::gateway {

constexpr const char* session_cookie_name = "lb_session";
constexpr const char* sign_in_cookie_name = "lb_sign_in";  // binds a sign-in's state to the browser that began it
constexpr long long session_seconds = 14 * 24 * 3600;

struct signed_in {
    std::vector<engine::host_account> accounts;
    std::string person;  // their community id, "" until they have one
};

std::string session_key(std::string_view session_id);
std::string sign_in_state_key(std::string_view state);
nlohmann::json session_record(const signed_in& who);
std::optional<signed_in> read_session_record(std::string_view text);

// The session the request's cookie names: nullopt when there is none, it expired or was ended.
void read_session(app_context& app, const api_request& request, std::function<void(std::optional<signed_in>, std::string error)> done);

// Set-Cookie values: Secure when the client came over TLS (X-Forwarded-Proto from a trusted proxy).
std::string cookie(std::string_view name, std::string_view value, std::string_view path, long long max_age, bool secure);
bool came_over_tls(const route_call& call);

// A write made with the session cookie must come from this server's own pages: its Origin names
// the Host it was sent to (or an origin of live.allowed_origins). Browsers send Origin on every
// cross-site POST, so a page elsewhere cannot write for a signed-in visitor.
bool same_site_write(const api_request& request, const engine::config& cfg);

// A cookie of the request ("" when it has none of that name).
std::string request_cookie(const api_request& request, std::string_view name);
// The refusal of a signed-in write from another site.
api_response cross_site_refusal();

// The proven login on a host, or "".
std::string proven_login(const signed_in& who, std::string_view host);

}  // namespace lb::gateway
