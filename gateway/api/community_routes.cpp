// The community across contests: people sign up, organizers approve (issuing the community
// id) or reject, and each person has a public profile.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/community_common.hpp"
#include "api/handlers.hpp"
#include "api/sign_in_session.hpp"
#include "crypto.hpp"
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
    out["proven"] = json::array();  // hosts whose login was proven by signing in
    if (const json* proven = engine::object_at(stored, "proven"))
        for (const auto& [host, account] : proven->items()) out["proven"].push_back(host);
    return out;
}

bool sign_up_id(const std::string& id) {
    return id.size() > 1 && id.size() <= 20 && id.starts_with("r") && id.find_first_not_of("0123456789", 1) == std::string::npos;
}

void decide(route_call& call, bool approve, respond_fn respond) {
    if (community_closed(call, respond)) return;
    const auto& request_id = call.param("request");
    if (!sign_up_id(request_id)) return respond(json_error(404, "unknown_sign_up", "request: expected a sign-up id such as r12"));
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

namespace {

api_response sign_up_answer(const engine::sign_up_result& result) {
    using outcome = engine::sign_up_result::outcome;
    if (result.kind == outcome::duplicate) {
        auto colon = result.login.find(':');
        auto host = result.login.substr(0, colon);
        auto login = result.login.substr(colon + 1);
        const auto* known = engine::find_host(host);
        auto message = std::string(known ? known->display_name : host) + " login \"" + login + "\" " +
                       (result.held_by_request ? "already has a sign-up waiting for approval" : "already belongs to a member of the community");
        return field_error(409, "duplicate_login", host, host + ": " + message);
    }
    if (result.kind == outcome::full)
        return json_error(503, "sign_ups_full", "too many sign-ups are waiting for approval; try again later");
    if (result.kind == outcome::client_full)
        return json_error(429, "too_many_pending", "this address already has as many sign-ups waiting as it may; wait for an organizer");
    return redis_failure(result.error);
}

// The signer's proven logins go into the sign-up: a login named for a host they proved must be
// the one they proved, and one left out is filled in.
std::optional<api_response> add_proven(engine::sign_up& s, const signed_in& who, engine::proven_accounts& proven) {
    for (const auto& account : who.accounts) {
        const auto* host = engine::find_host(account.host);
        if (!host) continue;
        auto given = engine::login_on(s.logins, account.host);
        if (!given.empty() && engine::login_key(account.host, given) != engine::login_key(account.host, account.login))
            return field_error(400, "bad_field", account.host,
                               account.host + ": you signed in as \"" + account.login + "\"; sign up with that login or sign in again");
        s.logins[account.host] = account.login;
        proven[account.host] = account.id;
    }
    return std::nullopt;
}

void queue_sign_up(app_context& app, engine::sign_up s, engine::proven_accounts proven, std::string client, std::string session_id,
                   std::optional<signed_in> who, respond_fn respond) {
    const auto& settings = app.config().community;
    engine::sign_up_limits limits{settings.max_pending, settings.max_pending_per_client,
                                  client.empty() ? "" : engine::sha256_hex("client " + client).substr(0, 24)};
    bool all_proven = !proven.empty() && proven.size() == s.logins.size();
    app.redis.execute({engine::sign_up_command(s, engine::now_seconds(), limits, proven)}, [&app, all_proven, session_id, who,
                                                                                          respond = std::move(respond)](
                                                                                             std::vector<engine::redis_value> replies) mutable {
        auto result = engine::read_sign_up_reply(replies.at(0));
        if (result.kind != engine::sign_up_result::outcome::queued) return respond(sign_up_answer(result));
        json set_aside = result.set_aside;
        if (!all_proven || !app.config().community.approve_proven)
            return respond(json_ok({{"request", result.request_id}, {"state", "pending"}, {"proven", all_proven}, {"set_aside", set_aside},
                                    {"message", "waiting for an organizer's approval"}}, 201));
        // "approval": "unless_proven": every login is proven, so nobody needs to check it by hand.
        auto decide = engine::decide_sign_up_command(app.config().community, result.request_id, true, engine::now_seconds(), "sign-in",
                                                     "every login proven by signing in");
        app.redis.execute({std::move(decide)}, [&app, request_id = result.request_id, set_aside, session_id, who,
                                                respond = std::move(respond)](std::vector<engine::redis_value> decided) mutable {
            auto outcome = engine::read_decision_reply(decided.at(0));
            if (outcome.kind != engine::decision_result::outcome::approved) return respond(redis_failure(outcome.error));
            auto answer = json_ok({{"request", request_id}, {"state", "approved"}, {"community_id", outcome.community_id}, {"proven", true},
                                   {"set_aside", set_aside}}, 201);
            if (!who) return respond(std::move(answer));
            who->person = outcome.community_id;
            app.redis.execute({{{"SET", session_key(session_id), engine::to_text(session_record(*who)), "KEEPTTL"}}},
                              [answer = std::move(answer), respond = std::move(respond)](std::vector<engine::redis_value>) mutable {
                                  respond(std::move(answer));
                              });
        });
    });
}

}  // namespace

void sign_up_route(route_call& call, respond_fn respond) {
    if (community_closed(call, respond)) return;
    auto parsed = json_object_body(call.request);
    if (auto* refusal = std::get_if<api_response>(&parsed)) return respond(std::move(*refusal));
    auto body = std::get<json>(std::move(parsed));
    auto session_id = request_cookie(call.request, session_cookie_name);
    if (!engine::looks_like_random_token(session_id)) {
        auto read = engine::read_sign_up(body);
        if (auto* error = std::get_if<engine::sign_up_error>(&read)) return respond(field_error(400, "bad_field", error->field, error->message));
        return queue_sign_up(call.app, std::get<engine::sign_up>(std::move(read)), {}, call.who.client, "", std::nullopt, std::move(respond));
    }
    if (!same_site_write(call.request, call.app.config()))
        return respond(cross_site_refusal());
    read_session(call.app, call.request, [&app = call.app, client = call.who.client, body = std::move(body), session_id, respond = std::move(respond)](
                                             std::optional<signed_in> who, std::string error) mutable {
        if (!error.empty()) return respond(redis_failure(error));
        // Signed in: the proven logins may stand in for the ones the form names.
        if (who)
            for (const auto& account : who->accounts)
                if (!body.contains(account.host)) body[account.host] = account.login;
        auto read = engine::read_sign_up(body);
        if (auto* error = std::get_if<engine::sign_up_error>(&read)) return respond(field_error(400, "bad_field", error->field, error->message));
        auto s = std::get<engine::sign_up>(std::move(read));
        engine::proven_accounts proven;
        if (who)
            if (auto refusal = add_proven(s, *who, proven)) return respond(std::move(*refusal));
        queue_sign_up(app, std::move(s), std::move(proven), client, who ? session_id : "", who, std::move(respond));
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

// What became of a sign-up, for whoever holds its id: its state, why it was set aside or
// rejected, the community id once approved. Never the name, logins or chapters.
void sign_up_status(route_call& call, respond_fn respond) {
    if (community_closed(call, respond)) return;
    const auto& request_id = call.param("request");
    if (!sign_up_id(request_id)) return respond(json_error(404, "unknown_sign_up", "request: expected a sign-up id such as r12"));
    call.app.redis.execute({{{"HGET", engine::keys::community("requests"), request_id}}},
                           [request_id, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
                               const auto& reply = replies.at(0);
                               if (reply.is_error()) return respond(redis_failure(reply.text));
                               auto stored = reply.is_nil() ? engine::parsed_json{{}, "none"} : engine::parse_untrusted_json(reply.text);
                               if (!stored.ok()) return respond(json_error(404, "unknown_sign_up", "request: no sign-up \"" + request_id + "\""));
                               json out{{"request", request_id}, {"state", engine::string_at(stored.value, "state").value_or("")},
                                        {"requested_at", when(stored.value, "requested_at")}, {"decided_at", when(stored.value, "decided_at")}};
                               if (auto reason = engine::string_at(stored.value, "reason")) out["reason"] = *reason;
                               if (auto id = engine::string_at(stored.value, "community_id")) out["community_id"] = *id;
                               respond(json_ok(out));
                           });
}

void approve_sign_up(route_call& call, respond_fn respond) { decide(call, true, std::move(respond)); }
void reject_sign_up(route_call& call, respond_fn respond) { decide(call, false, std::move(respond)); }

}  // namespace lb::gateway
