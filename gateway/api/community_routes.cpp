// The community across contests: people sign up, organizers approve (issuing the community
// id) or reject, and each person has a public profile.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/community_common.hpp"
#include "api/handlers.hpp"
#include "clock.hpp"
#include "people_store.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

using nlohmann::json;

bool community_closed(const route_call& call, respond_fn& respond) {
    if (call.app.config().community.registration_open) return false;
    respond(json_error(404, "community_closed", "this server's config has no \"community\" block: it keeps no people and takes no sign-ups"));
    return true;
}

std::string when(const json& record, const char* key) {
    auto at = engine::integer_at(record, key);
    return at ? engine::format_rfc3339(*at) : "";
}

json memberships_view(const json& stored) {
    json out = json::array();
    if (const json* list = engine::array_at(stored, "memberships"))
        for (const auto& m : *list)
            out.push_back({{"kind", engine::string_at(m, "kind").value_or("")},
                           {"chapter", engine::string_at(m, "chapter").value_or("")},
                           {"since", when(m, "since")},
                           {"until", when(m, "until")}});
    return out;
}

api_response field_error(int status, std::string_view code, const std::string& field, const std::string& message) {
    return json_ok({{"error", code}, {"field", field}, {"message", message}}, status);
}

namespace {

json request_view(const json& stored) {
    json out = {{"id", engine::string_at(stored, "id").value_or("")}, {"state", engine::string_at(stored, "state").value_or("")},
                {"requested_at", when(stored, "requested_at")}};
    for (const char* key : {"name", "city", "school", "company", "community_id", "decided_by", "reason"})
        out[key] = engine::string_at(stored, key).value_or("");
    for (const auto& host : engine::all_hosts()) out[std::string(host.id)] = engine::string_at(stored, std::string(host.id)).value_or("");
    out["decided_at"] = when(stored, "decided_at");
    return out;
}

void decide(route_call& call, bool approve, respond_fn respond) {
    if (community_closed(call, respond)) return;
    const auto& request_id = call.param("request");
    if (request_id.size() > 20 || !request_id.starts_with("r") || request_id.find_first_not_of("0123456789", 1) != std::string::npos ||
        request_id.size() == 1)
        return respond(json_error(404, "unknown_sign_up", "request: expected a sign-up id such as r12"));
    auto action = read_body_action(call, false);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    const auto& who = std::get<admin_action>(action);
    auto command = engine::decide_sign_up_command(call.app.config().community, request_id, approve, engine::now_seconds(), who.actor, who.reason);
    call.app.redis.execute({std::move(command)}, [request_id, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
        auto result = engine::read_decision_reply(replies.at(0));
        using outcome = engine::decision_result::outcome;
        switch (result.kind) {
            case outcome::approved: return respond(json_ok({{"request", request_id}, {"state", "approved"}, {"community_id", result.community_id}}));
            case outcome::rejected: return respond(json_ok({{"request", request_id}, {"state", "rejected"}}));
            case outcome::unknown: return respond(json_error(404, "unknown_sign_up", "request: no sign-up \"" + request_id + "\""));
            case outcome::decided:
                return respond(json_error(409, "already_decided", "request: sign-up \"" + request_id + "\" is already " + result.state));
            case outcome::failed: return respond(redis_failure(result.error));
        }
    });
}

}  // namespace

void sign_up_route(route_call& call, respond_fn respond) {
    if (community_closed(call, respond)) return;
    auto parsed = json_object_body(call.request);
    if (auto* refusal = std::get_if<api_response>(&parsed)) return respond(std::move(*refusal));
    auto read = engine::read_sign_up(std::get<json>(parsed));
    if (auto* error = std::get_if<engine::sign_up_error>(&read)) return respond(field_error(400, "bad_field", error->field, error->message));
    const auto& s = std::get<engine::sign_up>(read);
    const auto& settings = call.app.config().community;
    call.app.redis.execute({engine::sign_up_command(s, engine::now_seconds(), settings.max_pending)},
                           [respond = std::move(respond)](std::vector<engine::redis_value> replies) {
                               auto result = engine::read_sign_up_reply(replies.at(0));
                               using outcome = engine::sign_up_result::outcome;
                               if (result.kind == outcome::queued)
                                   return respond(json_ok({{"request", result.request_id}, {"state", "pending"},
                                                           {"message", "waiting for an organizer's approval"}}, 201));
                               if (result.kind == outcome::duplicate) {
                                   auto colon = result.login.find(':');
                                   auto host = result.login.substr(0, colon);
                                   auto login = result.login.substr(colon + 1);
                                   const auto* known = engine::find_host(host);
                                   auto message = std::string(known ? known->display_name : host) + " login \"" + login + "\" " +
                                                  (result.held_by_request ? "already has a sign-up waiting for approval"
                                                                          : "already belongs to a member of the community");
                                   return respond(field_error(409, "duplicate_login", host, host + ": " + message));
                               }
                               if (result.kind == outcome::full)
                                   return respond(json_error(503, "sign_ups_full", "too many sign-ups are waiting for approval; try again later"));
                               respond(redis_failure(result.error));
                           });
}

void list_sign_ups(route_call& call, respond_fn respond) {
    if (community_closed(call, respond)) return;
    auto state = call.query("state", "pending");
    if (state != "pending" && state != "approved" && state != "rejected" && state != "all")
        return respond(json_error(400, "bad_query", "state: expected pending, approved, rejected or all"));
    call.app.redis.execute({engine::all_sign_ups_command()}, [state, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
        const auto& reply = replies.at(0);
        if (reply.is_error()) return respond(redis_failure(reply.text));
        json rows = json::array();
        for (const auto& element : reply.elements) {
            auto parsed = engine::parse_untrusted_json(element.text);
            if (!parsed.ok()) continue;
            auto view = request_view(parsed.value);
            if (state == "all" || view["state"] == state) rows.push_back(std::move(view));
        }
        std::sort(rows.begin(), rows.end(), [](const json& a, const json& b) {
            auto number = [](const json& r) { return std::stoll(r["id"].get<std::string>().substr(1)); };
            return number(a) < number(b);
        });
        respond(json_ok({{"state", state}, {"sign_ups", rows}}));
    });
}

void approve_sign_up(route_call& call, respond_fn respond) { decide(call, true, std::move(respond)); }
void reject_sign_up(route_call& call, respond_fn respond) { decide(call, false, std::move(respond)); }

}  // namespace lb::gateway
