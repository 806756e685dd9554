#include "api/api_router.hpp"

#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/error_boundary.hpp"
#include "api/idempotency.hpp"
#include "api/route_list.hpp"
#include "api/sign_in_session.hpp"
#include "crypto.hpp"
#include "submission_store.hpp"
#include "untrusted_json.hpp"
#include "utf8.hpp"

namespace lb::gateway {

using nlohmann::json;


const std::string& route_call::param(std::string_view name) const {
    static const std::string none;
    for (const auto& [key, value] : params)
        if (key == name) return value;
    return none;
}

std::string route_call::query(std::string_view key, std::string fallback) const {
    auto it = target.query.find(std::string(key));
    return it == target.query.end() ? fallback : it->second;
}

namespace {

constexpr std::string_view bearer = "Bearer ";

// The token of "Bearer <token>" (the scheme is case-insensitive), or "" when the header is not one.
std::string_view bearer_token(std::string_view authorization) {
    if (authorization.size() <= bearer.size() || engine::to_lower_ascii(authorization.substr(0, bearer.size())) != "bearer ")
        return {};
    return authorization.substr(bearer.size());
}

// Header values reach answers and logs: each must be printable UTF-8.
std::optional<api_response> check_headers(const api_request& head) {
    if (!head.repeated_header.empty())
        return json_error(400, "bad_header", head.repeated_header + ": sent more than once");
    auto bad = [](const std::string& value) { return !engine::valid_utf8(value) || engine::has_control_characters(value); };
    if (bad(head.authorization)) return json_error(400, "bad_header", "authorization: not printable UTF-8");
    if (bad(head.content_type)) return json_error(400, "bad_header", "content-type: not printable UTF-8");
    for (const auto& [name, value] : head.headers)
        if (bad(value)) return json_error(400, "bad_header", name + ": not printable UTF-8");
    return std::nullopt;
}

std::string role_refusal(process_role role) {
    return role == process_role::webhooks ? "this process only receives webhooks (--role webhooks)"
                                          : "this process does not receive webhooks (--role gateway)";
}

}  // namespace

namespace {

client_limit_settings limit_settings(const engine::server_settings& server) {
    return {{server.public_writes.per_minute, server.public_writes.burst},
            {server.failed_credentials.per_minute, server.failed_credentials.burst}};
}

double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The writes anyone may make: each takes a token of the client's bucket.
bool public_write(const route& r) {
    return (r.method == "POST" && (r.pattern == "/api/community/sign-ups" || r.pattern == "/api/contests/{contest}/submissions" ||
                                   r.pattern == "/api/contests/{contest}/homework" ||
                                   r.pattern == "/api/contests/{contest}/votes/{component}/entries")) ||
           (r.method == "PUT" && r.pattern == "/api/contests/{contest}/votes/{component}/ballot") ||
           (r.method == "GET" && r.pattern == "/auth/{host}/start");
}

}  // namespace

std::optional<api_response> api_router::limited(client_limits::bucket which, const std::string& client, bool take) const {
    // A reload's new limits hold from its first limited request on. Generations are never freed,
    // so an address names one generation for good; it is read under the lock, so a request that
    // started before a reload cannot put the older limits back.
    if (limits_from_.load(std::memory_order_acquire) != &app_.config()) {
        std::lock_guard lock(limits_reload_);
        const auto* in_force = &app_.config();
        if (limits_from_.load() != in_force) {
            limits_.reconfigure(limit_settings(in_force->server));
            limits_from_.store(in_force, std::memory_order_release);
        }
    }
    auto wait = take ? limits_.take(which, client, steady_seconds()) : limits_.peek(which, client, steady_seconds());
    if (!wait) return std::nullopt;
    app_.counters.limited_requests++;
    auto answer = json_error(429, "too_many_requests",
                             std::string(which == client_limits::bucket::public_writes ? "too many sign-ups, submissions or sign-ins"
                                                                                          : "too many failed credentials") +
                                 " from this address; try again in " + std::to_string(*wait) + " s");
    answer.headers.emplace_back("Retry-After", std::to_string(*wait));
    return answer;
}

api_router::api_router(app_context& app) : app_(app), table_(api_routes()), limits_(limit_settings(app.config().server)), limits_from_(&app.config()) {
    for (const auto& r : table_.routes()) largest_body_limit_ = std::max(largest_body_limit_, r.body_limit);
}

caller api_router::identify(const std::string& authorization) const {
    caller who;
    auto token = bearer_token(authorization);
    if (token.empty()) return who;
    if (!app_.admin_token.empty() && engine::constant_time_equals(token, app_.admin_token)) {
        who.admin = true;
        who.actor = "admin";
        return who;
    }
    // Every judge's token is compared, so the time taken does not tell which one matched.
    for (const auto& j : app_.config().judges)
        if (!j.token.empty() && engine::constant_time_equals(token, j.token) && who.actor.empty()) {
            who.judge = true;
            who.actor = j.id;
        }
    return who;
}

std::string api_router::client_of(const std::string& peer, const std::map<std::string, std::string>& headers) const {
    auto forwarded = headers.find("x-forwarded-for");
    return client_address(peer, forwarded == headers.end() ? std::string_view{} : std::string_view(forwarded->second),
                          app_.config().server.trusted_proxies);
}

preflight_result api_router::preflight(const api_request& head) const {
    preflight_result out;
    std::string why;
    auto target = parse_target(head.target, &why);
    if (!target) return out.refusal = json_error(400, "bad_target", why), out;
    out.target = std::move(*target);
    auto matched = table_.match(head.method, out.target.segments);
    if (!matched.found) {
        if (matched.status == 405) {
            out.refusal = json_error(405, "method_not_allowed", "this route takes " + matched.allowed + ", not " + head.method);
            out.refusal->headers.emplace_back("Allow", matched.allowed);
        } else {
            out.refusal = json_error(404, "not_found", "no such route");
        }
        return out;
    }
    const route& r = *matched.found;
    out.found = &r;
    out.label = std::string(r.pattern);
    out.body_limit = r.body_limit;
    out.params = std::move(matched.params);
    if (!serves(app_.role, r.role)) return out.refusal = json_error(404, "not_found", role_refusal(app_.role)), out;
    if (auto refusal = check_headers(head)) return out.refusal = std::move(refusal), out;
    for (const auto& [name, value] : out.params)
        if (name == "contest") {
            out.contest = app_.config().find_contest(value);
            if (!out.contest) return out.refusal = json_error(404, "unknown_contest", "no contest with id \"" + value + "\""), out;
        }
    bool credential = !bearer_token(head.authorization).empty();
    // Who the client is matters only where a limit applies or a handler counts by address: a
    // webhook delivery or a read skips it.
    std::string client;
    if (public_write(r) || credential || r.who == access::participant) client = client_of(head.peer, head.headers);
    if (public_write(r))
        if (auto refusal = limited(client_limits::bucket::public_writes, client, true)) return out.refusal = std::move(refusal), out;
    // A client that used up its failed credentials is not heard until it waits: even a right guess.
    if (credential)
        if (auto refusal = limited(client_limits::bucket::failed_credentials, client, false)) return out.refusal = std::move(refusal), out;
    out.who = identify(head.authorization);
    out.who.client = std::move(client);
    bool staff = out.who.admin || out.who.judge;
    if (credential && !staff && (r.who == access::admin || r.who == access::judge))
        limited(client_limits::bucket::failed_credentials, out.who.client, true);
    if ((r.who == access::admin || r.who == access::judge) && !staff)
        out.refusal = json_error(401, "unauthorized", r.who == access::admin ? "this route needs Authorization: Bearer <admin token>"
                                                                               : "this route needs Authorization: Bearer <judge or admin token>");
    else if (r.who == access::admin && !out.who.admin)
        out.refusal = json_error(403, "forbidden", "judges may claim submissions, record verdicts and component scores; this route is for admins");
    if (r.who == access::participant && !credential && request_cookie(head, session_cookie_name).empty())
        out.refusal = json_error(401, "unauthorized", "sign in, or submit with Authorization: Bearer <your submission token>");
    return out;
}

void api_router::dispatch(preflight_result pre, api_request request, respond_fn respond) {
    // A delivery whose signature fails is a failed credential of its client: counted, and past the
    // limit answered 429. It is counted only after the signature was checked, never refused before,
    // so a sender that wastes a code host's shared delivery addresses cannot shut out its real deliveries.
    // Only a delivery keeps what names its client (its peer and X-Forwarded-For), and only a refused
    // one works the address out.
    std::optional<std::pair<std::string, std::map<std::string, std::string>>> sender;
    if (pre.found && pre.found->role == served_by::receivers) {
        std::map<std::string, std::string> forwarded;
        if (auto it = request.headers.find("x-forwarded-for"); it != request.headers.end()) forwarded.insert(*it);
        sender.emplace(request.peer, std::move(forwarded));
    }
    auto counted = [this, label = pre.label, sender = std::move(sender), respond = std::move(respond)](api_response response) {
        if (sender && response.status == 401)
            if (auto refusal = limited(client_limits::bucket::failed_credentials, client_of(sender->first, sender->second), true))
                response = std::move(*refusal);
        app_.counters.count_request(label, response.status);
        respond(std::move(response));
    };
    if (pre.refusal || !pre.found) return counted(pre.refusal.value_or(json_error(404, "not_found", "no such route")));
    auto where = request.method + " " + pre.label;
    auto answer = answer_once(std::move(counted), where);
    route_call call{app_, *pre.found, pre.contest, std::move(pre.target), std::move(pre.params), std::move(request), std::move(pre.who)};
    try {
        if (call.matched.who == access::participant) return with_participant(call, answer);
        auto key = call.request.headers.find("idempotency-key");
        if (key != call.request.headers.end() && call.matched.who != access::anyone &&
            call.matched.who != access::participant && call.request.method != "GET") {
            auto shared = std::make_shared<route_call>(std::move(call));
            return once_per_key(shared, key->second, answer, [](std::shared_ptr<route_call> c, respond_fn r) {
                c->matched.handler(*c, std::move(r));
            });
        }
        call.matched.handler(call, answer);
    } catch (...) {
        report_current_exception(where);
        answer(json_error(500, "internal", "the server failed on this request; it was logged, please try again"));
    }
}

// Participant routes: the submission token names the caller before the handler runs.
void api_router::with_participant(route_call& call, respond_fn respond) {
    std::string token(bearer_token(call.request.authorization));
    if (token.empty()) return with_session(call, std::move(respond));
    auto shared = std::make_shared<route_call>(std::move(call));
    app_.redis.execute({engine::find_token_command(shared->c(), token)}, [self = this, shared, respond = std::move(respond)](std::vector<engine::redis_value> found) {
        if (found.at(0).is_error()) return respond(redis_failure(found[0].text));
        const engine::participant* p = found[0].is_nil() ? nullptr : shared->c().find_participant(found[0].text);
        if (!p) {
            self->limited(client_limits::bucket::failed_credentials, shared->who.client, true);
            return respond(json_error(401, "unauthorized", "this submission token is not valid for contest \"" + shared->c().id + "\""));
        }
        shared->who.participant = p->id;
        shared->matched.handler(*shared, respond);
    });
}

// Signed in instead of a token: the participant whose login on a host is one the visitor proved.
// Only from this site's own pages (a page elsewhere cannot hand in for a signed-in visitor).
void api_router::with_session(route_call& call, respond_fn respond) {
    // A read by cookie needs no Origin: another site cannot read the answer (no CORS here).
    if (call.request.method != "GET" && !same_site_write(call.request, app_.config()))
        return respond(cross_site_refusal());
    auto shared = std::make_shared<route_call>(std::move(call));
    read_session(app_, shared->request, [shared, respond = std::move(respond)](std::optional<signed_in> who, std::string error) {
        if (!error.empty()) return respond(redis_failure(error));
        if (!who) return respond(json_error(401, "unauthorized", "session: expired or ended; sign in again"));
        const engine::participant* p = nullptr;
        for (const auto& account : who->accounts)
            if (!p) p = shared->c().find_by_login(account.host, account.login);
        if (!p) return respond(json_error(403, "not_a_participant", "session: none of your signed-in logins takes part in contest \"" + shared->c().id + "\""));
        shared->who.participant = p->id;
        shared->matched.handler(*shared, respond);
    });
}

}  // namespace lb::gateway
