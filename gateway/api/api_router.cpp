#include "api/api_router.hpp"

#include <nlohmann/json.hpp>

#include "api/admin_handlers.hpp"
#include "signatures.hpp"
#include "standings.hpp"

namespace lb::gateway {

using nlohmann::json;

api_response json_error(int status, std::string_view code, std::string_view message) {
    return {status, "application/json", json{{"error", code}, {"message", message}}.dump(), {}};
}

api_response json_ok(const json& body, int status) { return {status, "application/json", body.dump(), {}}; }

api_response redis_failure(const std::string& detail) {
    return json_error(503, "redis_unavailable", "the store cannot be reached right now (" + detail + ")");
}

namespace {

std::string route_label(const request_target& target) {
    const auto& s = target.segments;
    if (s.empty()) return "/";
    if (s[0] == "hooks" && s.size() == 2 && (s[1] == "github" || s[1] == "gitee")) return "/hooks/" + s[1];
    if (s[0] != "api") return s.size() == 1 && (s[0] == "healthz" || s[0] == "readyz" || s[0] == "metrics") ? "/" + s[0] : "static";
    if (s.size() <= 2) return "/api/contests";
    if (s.size() == 3) return "/api/contests/{id}";
    return "/api/contests/{id}/" + s[3];
}

}  // namespace

bool api_router::is_admin(const api_request& request) const {
    constexpr std::string_view scheme = "Bearer ";
    if (app_.admin_token.empty() || !request.authorization.starts_with(scheme)) return false;
    return webhooks::constant_time_equals(std::string_view(request.authorization).substr(scheme.size()), app_.admin_token);
}

void api_router::handle(api_request request, respond_fn respond) {
    auto target = parse_target(request.target);
    if (!target) return respond(json_error(400, "bad_target", "the request target is not a valid path"));
    auto counted = [this, label = route_label(*target), respond = std::move(respond)](api_response response) {
        app_.counters.count_request(label, response.status);
        respond(std::move(response));
    };
    const auto& s = target->segments;
    bool get = request.method == "GET" || request.method == "HEAD";
    if (s.size() == 1 && s[0] == "healthz") return counted(json_ok({{"status", "ok"}}));
    if (s.size() == 1 && s[0] == "readyz") {
        bool ready = app_.redis_ready();
        return counted(json_ok({{"status", ready ? "ready" : "waiting"}, {"redis", ready ? "up" : "down"}}, ready ? 200 : 503));
    }
    if (s.size() == 1 && s[0] == "metrics")
        return counted({200, "text/plain; version=0.0.4", app_.counters.render(app_.redis_ready()), {}});
    if (s.size() == 2 && s[0] == "hooks") return route_hook(s[1], std::move(request), std::move(counted));
    if (app_.role == "webhooks") return counted(json_error(404, "not_found", "this process only receives webhooks (--role webhooks)"));
    if (s.empty() || s[0] != "api") {
        if (!get) return counted(json_error(405, "method_not_allowed", "static files are read with GET"));
        return counted(static_file(app_.static_dir, *target));
    }
    if (s.size() < 2 || s[1] != "contests") return counted(json_error(404, "not_found", "no such route"));
    if (s.size() == 2) {
        if (!get) return counted(json_error(405, "method_not_allowed", "use GET"));
        return counted({200, "application/json", contests_json(app_.config), {}});
    }
    const engine::contest* c = app_.config.find_contest(s[2]);
    if (!c) return counted(json_error(404, "unknown_contest", "no contest with id \"" + s[2] + "\""));
    route_contest(*c, *target, request, std::move(counted));
}

void api_router::route_hook(const std::string& host, api_request&& request, respond_fn respond) {
    if (host != "github" && host != "gitee") return respond(json_error(404, "not_found", "webhooks are at /hooks/github and /hooks/gitee"));
    if (!app_.receiver) return respond(json_error(404, "not_found", "this process does not receive webhooks (--role gateway)"));
    if (request.method != "POST") return respond(json_error(405, "method_not_allowed", "webhooks are delivered with POST"));
    webhooks::hook_input input{std::move(request.content_type), std::move(request.headers), std::move(request.body)};
    auto answer = [respond = std::move(respond)](webhooks::hook_answer a) {
        respond({a.status, "application/json", a.body.dump(), {}});
    };
    if (host == "github") app_.receiver->receive_github(std::move(input), std::move(answer));
    else app_.receiver->receive_gitee(std::move(input), std::move(answer));
}

void api_router::route_contest(const engine::contest& c, const request_target& target, const api_request& request,
                               respond_fn respond) {
    const auto& s = target.segments;
    const std::string& m = request.method;
    bool get = m == "GET" || m == "HEAD";
    bool admin = is_admin(request);
    std::string what = s.size() > 3 ? s[3] : "";
    std::string item = s.size() > 4 ? s[4] : "";
    std::string tail = s.size() > 5 ? s[5] : "";
    // Public and participant routes.
    if (s.size() == 3 && get) return respond({200, "application/json", contest_json(c), {}});
    if (s.size() == 4 && what == "standings" && get) return standings(c, target, admin, std::move(respond));
    if (s.size() == 5 && what == "participants" && get) return participant(c, item, admin, std::move(respond));
    if (s.size() == 4 && what == "events" && get) return events(c, target, admin, std::move(respond));
    if (s.size() == 4 && what == "history" && get) return history(c, target, admin, std::move(respond));
    if (s.size() == 4 && what == "submissions" && m == "POST") return submit_reproduction(app_, c, request, std::move(respond));
    // Organizer routes: which exist, with which method.
    using handler = std::function<void()>;
    struct admin_route {
        std::size_t size;
        const char* what;
        const char* tail;  // segment after the item, "" for none
        const char* method;
        handler run;
    };
    const admin_route routes[] = {
        {4, "adjustments", "", "POST", [&] { adjustment(c, request, std::move(respond)); }},
        {4, "unattributed", "", "GET", [&] { unattributed(c, std::move(respond)); }},
        {4, "audit", "", "GET", [&] { audit(c, std::move(respond)); }},
        {4, "teams", "", "PUT", [&] { import_roster(app_, c, target, request, true, std::move(respond)); }},
        {4, "participants", "", "PUT", [&] { import_roster(app_, c, target, request, false, std::move(respond)); }},
        {6, "participants", "tokens", "POST", [&] { issue_token(app_, c, item, request, std::move(respond)); }},
        {6, "participants", "disqualify", "POST", [&] { set_disqualified(app_, c, item, request, true, std::move(respond)); }},
        {6, "participants", "reinstate", "POST", [&] { set_disqualified(app_, c, item, request, false, std::move(respond)); }},
        {5, "components", "", "PUT", [&] { put_component_scores(app_, c, item, target, request, std::move(respond)); }},
        {4, "submissions", "", "GET", [&] { list_submissions(app_, c, std::move(respond)); }},
        {6, "submissions", "verdict", "POST", [&] { record_verdict(app_, c, item, request, std::move(respond)); }},
        {4, "freeze", "", "POST", [&] { set_freeze(app_, c, request, true, std::move(respond)); }},
        {4, "unfreeze", "", "POST", [&] { set_freeze(app_, c, request, false, std::move(respond)); }},
        {4, "recompute", "", "POST", [&] { recompute_route(app_, c, target, request, std::move(respond)); }},
    };
    bool path_known = s.size() == 3 || (s.size() == 4 && (what == "standings" || what == "events" || what == "history" || what == "submissions")) ||
                      (s.size() == 5 && what == "participants");
    for (const auto& route : routes) {
        if (route.size != s.size() || what != route.what || (s.size() == 6 && tail != route.tail)) continue;
        path_known = true;
        bool method_matches = m == route.method || (std::string_view(route.method) == "GET" && m == "HEAD");
        if (!method_matches) continue;
        if (!admin) return respond(json_error(401, "unauthorized", "this route needs Authorization: Bearer <admin token>"));
        return route.run();
    }
    if (path_known) return respond(json_error(405, "method_not_allowed", "this route does not take " + m));
    respond(json_error(404, "not_found", "no such route"));
}

void api_router::standings(const engine::contest& c, const request_target& target, bool admin, respond_fn respond) {
    engine::standings_query query;
    query.public_view = !admin;
    auto param = [&](const char* key, std::string fallback) {
        auto it = target.query.find(key);
        return it == target.query.end() ? fallback : it->second;
    };
    query.board = param("board", "participants");
    if (!c.has_board(query.board))
        return respond(json_error(404, "unknown_board", "contest \"" + c.id + "\" has no board \"" + query.board + "\""));
    auto limit = parse_bounded(param("limit", "100"), 1, engine::max_standings_limit);
    auto offset = parse_bounded(param("offset", "0"), 0, 1'000'000'000);
    auto format = param("format", "json");
    if (!limit) return respond(json_error(400, "bad_query", "limit must be an integer from 1 to 1000000"));
    if (!offset) return respond(json_error(400, "bad_query", "offset must be a non-negative integer"));
    if (format != "json" && format != "csv") return respond(json_error(400, "bad_query", "format must be json or csv"));
    query.limit = *limit;
    query.offset = *offset;
    engine::read_standings(app_.redis, c, query, engine::now_seconds(),
                           [&c, format, respond = std::move(respond)](auto page, std::string error) {
                               if (!page) return respond(redis_failure(error));
                               if (format == "csv") return respond({200, "text/csv; charset=utf-8", engine::standings_to_csv(c, *page), {}});
                               respond({200, "application/json", engine::standings_to_json(c, *page), {}});
                           });
}

void api_router::participant(const engine::contest& c, const std::string& pid, bool admin, respond_fn respond) {
    const engine::participant* p = c.find_participant(pid);
    if (!p) return respond(json_error(404, "unknown_participant", "contest \"" + c.id + "\" has no participant \"" + pid + "\""));
    engine::read_participant(app_.redis, c, *p, !admin, engine::now_seconds(),
                             [respond = std::move(respond)](auto result, std::string error) {
                                 if (!result) return respond(redis_failure(error));
                                 respond(json_ok(*result));
                             });
}

void api_router::events(const engine::contest& c, const request_target& target, bool admin, respond_fn respond) {
    auto after_it = target.query.find("after");
    std::string after = after_it == target.query.end() ? "" : after_it->second;
    if (!after.empty() && !engine::valid_stream_id(after))
        return respond(json_error(400, "bad_query", "after must be an event id such as 1764547200000-0"));
    auto limit_it = target.query.find("limit");
    auto limit = parse_bounded(limit_it == target.query.end() ? "1000" : limit_it->second, 1, 10000);
    if (!limit) return respond(json_error(400, "bad_query", "limit must be an integer from 1 to 10000"));
    engine::read_events(app_.redis, c, after, *limit, !admin, engine::now_seconds(),
                        [respond = std::move(respond)](auto text, std::string error) {
                            if (!text) return respond(redis_failure(error));
                            respond({200, "application/x-ndjson", std::move(*text), {}});
                        });
}

}  // namespace lb::gateway

namespace lb::gateway {

void api_router::history(const engine::contest& c, const request_target& target, bool admin, respond_fn respond) {
    auto board_it = target.query.find("board");
    auto member_it = target.query.find("member");
    std::string board = board_it == target.query.end() ? "participants" : board_it->second;
    if (!c.has_board(board)) return respond(json_error(404, "unknown_board", "contest \"" + c.id + "\" has no board \"" + board + "\""));
    if (member_it == target.query.end()) return respond(json_error(400, "bad_query", "member: required"));
    const std::string& member = member_it->second;
    bool known = c.is_team_board(board) ? c.find_team(member) != nullptr : c.find_participant(member) != nullptr;
    if (!known) return respond(json_error(404, "unknown_member", "\"" + member + "\" is not on board \"" + board + "\""));
    engine::read_history(app_.redis, c, board, member, !admin, engine::now_seconds(), [respond = std::move(respond)](auto result, std::string error) {
        if (!result) return respond(redis_failure(error));
        respond(json_ok(*result));
    });
}

}  // namespace lb::gateway
