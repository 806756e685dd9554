#include "api/sign_in_session.hpp"

#include <algorithm>

#include "crypto.hpp"
#include "people_store.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

using nlohmann::json;

std::string session_key(std::string_view session_id) { return engine::keys::community("session:" + engine::sha256_hex(session_id)); }
std::string sign_in_state_key(std::string_view state) { return engine::keys::community("sign-in:" + engine::sha256_hex(state)); }

json session_record(const signed_in& who) {
    json accounts = json::array();
    for (const auto& a : who.accounts) accounts.push_back({{"host", a.host}, {"id", a.id}, {"login", a.login}});
    return {{"accounts", accounts}, {"person", who.person}};
}

std::optional<signed_in> read_session_record(std::string_view text) {
    auto parsed = engine::parse_untrusted_json(text);
    if (!parsed.ok() || !parsed.value.is_object()) return std::nullopt;
    signed_in who;
    who.person = engine::string_at(parsed.value, "person").value_or("");
    if (const json* accounts = engine::array_at(parsed.value, "accounts"))
        for (const auto& a : *accounts)
            who.accounts.push_back({engine::string_at(a, "host").value_or(""), engine::string_at(a, "id").value_or(""),
                                    engine::string_at(a, "login").value_or("")});
    return who;
}

std::string request_cookie(const api_request& request, std::string_view name) {
    auto header = request.headers.find("cookie");
    return header == request.headers.end() ? std::string() : engine::cookie_value(header->second, name);
}

api_response cross_site_refusal() {
    return json_error(403, "cross_site", "origin: a signed-in write must come from this site's own pages");
}

void read_session(app_context& app, const api_request& request, std::function<void(std::optional<signed_in>, std::string error)> done) {
    auto id = request_cookie(request, session_cookie_name);
    if (!engine::looks_like_random_token(id)) return done(std::nullopt, "");
    app.redis.execute({{{"GET", session_key(id)}}}, [done = std::move(done)](std::vector<engine::redis_value> replies) {
        const auto& reply = replies.at(0);
        if (reply.is_error()) return done(std::nullopt, reply.text);
        if (reply.is_nil()) return done(std::nullopt, "");
        done(read_session_record(reply.text), "");
    });
}

std::string cookie(std::string_view name, std::string_view value, std::string_view path, long long max_age, bool secure) {
    return std::string(name) + "=" + std::string(value) + "; Path=" + std::string(path) + "; Max-Age=" + std::to_string(max_age) +
           "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
}

bool came_over_tls(const route_call& call) {
    const auto& trusted = call.app.config().server.trusted_proxies;
    bool from_proxy = std::find(trusted.begin(), trusted.end(), call.request.peer) != trusted.end();
    auto proto = call.request.headers.find("x-forwarded-proto");
    return from_proxy && proto != call.request.headers.end() && proto->second == "https";
}

bool same_site_write(const api_request& request, const engine::config& cfg) {
    auto origin = request.headers.find("origin");
    if (origin == request.headers.end()) return false;
    const auto& allowed = cfg.live.allowed_origins;
    if (std::find(allowed.begin(), allowed.end(), origin->second) != allowed.end()) return true;
    auto host = request.headers.find("host");
    if (host == request.headers.end() || host->second.empty()) return false;
    return origin->second == "http://" + host->second || origin->second == "https://" + host->second;
}

std::string proven_login(const signed_in& who, std::string_view host) {
    for (const auto& a : who.accounts)
        if (a.host == host) return a.login;
    return "";
}

}  // namespace lb::gateway
