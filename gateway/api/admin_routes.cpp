// Organizer routes (behind the admin token; the router checks it first): adjustments,
// the audit log, unattributed PRs, and the body and audit helpers every handler shares.
#include <algorithm>
#include <regex>
#include <variant>

#include <nlohmann/json.hpp>

#include "api/handlers.hpp"
#include "api/idempotency.hpp"
#include "award.hpp"
#include "award_store.hpp"
#include "random.hpp"
#include "store_keys.hpp"
#include "untrusted_json.hpp"
#include "clock.hpp"

namespace lb::gateway {

using nlohmann::json;
using engine::string_at;

namespace {

bool plain_name(const std::string& text) {
    static const std::regex id_pattern("[A-Za-z0-9_.-]{1,64}");
    return std::regex_match(text, id_pattern);
}

// Validates an adjustment body completely; returns the award or the reason it was refused.
std::variant<engine::award, api_response> parse_adjustment(const route_call& call, const json& input) {
    const auto& c = call.c();
    auto pid = string_at(input, "participant");
    if (!pid) return json_error(400, "bad_field", "participant: expected a participant id");
    const engine::participant* p = c.find_participant(*pid);
    if (!p) return json_error(400, "bad_field", "participant: unknown participant");
    auto value = engine::number_at(input, "points");
    if (!value) return json_error(400, "bad_field", "points: expected a number");
    auto points = engine::to_centi(*value);
    if (!points) return json_error(400, "bad_field", "points: at most two decimals and below 5,000,000 in magnitude");
    auto reason = string_at(input, "reason");
    if (!reason || reason->empty() || reason->size() > 500)
        return json_error(400, "bad_field", "reason: expected a non-empty string of at most 500 bytes");
    std::string id = engine::random_hex(12);
    if (input.contains("id")) {
        auto given = string_at(input, "id");
        if (!given || !plain_name(*given))
            return json_error(400, "bad_field", "id: expected letters, digits, '_', '.' or '-' (at most 64)");
        id = *given;
    }
    auto action = read_action(call.who, input, true);
    if (auto* refusal = std::get_if<api_response>(&action)) return std::move(*refusal);
    return engine::make_adjustment_award(c, *p, id, *points, engine::awarded_at(c, engine::now_seconds()), *reason,
                                         std::get<admin_action>(action).actor);
}

}  // namespace

std::variant<json, api_response> json_object_body(const api_request& request, bool empty_is_object) {
    if (request.body.empty() && empty_is_object) return json::object();
    if (!engine::to_lower_ascii(request.content_type).starts_with("application/json"))
        return json_error(415, "unsupported_media_type", "send the body as application/json");
    auto parsed = engine::parse_untrusted_json(request.body);
    if (!parsed.ok()) return json_error(400, "malformed_json", "(body): " + parsed.error);
    if (!parsed.value.is_object()) return json_error(400, "malformed_json", "(body): expected a JSON object");
    return std::move(parsed.value);
}

std::variant<const engine::participant*, api_response> acting_participant(const route_call& call) {
    const auto& c = call.c();
    const engine::participant* p = c.find_participant(call.who.participant);
    if (!p) return json_error(401, "unauthorized", "this submission token is not valid for contest \"" + c.id + "\"");
    if (p->disqualified) return json_error(403, "disqualified", "participant \"" + p->id + "\" is disqualified");
    return p;
}

api_response refused_write(const engine::write_refusal& r) { return json_error(r.status, r.error, r.message); }

std::variant<admin_action, api_response> read_action(const caller& who, const json& source, bool reason_required) {
    admin_action action;
    if (!who.actor.empty()) action.actor = who.actor;
    // The audit names whoever the token belongs to; a name in the request could claim anyone.
    if (source.contains("actor"))
        return json_error(400, "bad_field", "actor: not accepted; the audit's actor is the identity of the token (\"" + action.actor + "\")");
    if (source.contains("reason")) {
        auto reason = string_at(source, "reason");
        if (!reason || reason->size() > 500) return json_error(400, "bad_field", "reason: expected a string of at most 500 bytes");
        action.reason = *reason;
    }
    if (reason_required && action.reason.empty()) return json_error(400, "bad_field", "reason: required, say why");
    return action;
}

json action_in_query(const request_target& target) {
    json source = json::object();
    for (const char* key : {"actor", "reason"})
        if (auto it = target.query.find(key); it != target.query.end()) source[key] = it->second;
    return source;
}

std::variant<admin_action, api_response> read_body_action(const route_call& call, bool reason_required) {
    auto body = json_object_body(call.request, true);
    if (auto* refusal = std::get_if<api_response>(&body)) return std::move(*refusal);
    return read_action(call.who, std::get<json>(body), reason_required);
}

json audit_entry(const admin_action& action, std::string_view what, json details) {
    details["at"] = engine::format_rfc3339(engine::now_seconds());
    details["actor"] = action.actor;
    details["action"] = what;
    details["reason"] = action.reason;
    return details;
}

void adjustment(route_call& call, respond_fn respond) {
    if (call.c().is_final()) return respond(final_refusal(call.c()));
    auto body = json_object_body(call.request);
    if (auto* refusal = std::get_if<api_response>(&body)) return respond(std::move(*refusal));
    const auto& input = std::get<json>(body);
    auto parsed = parse_adjustment(call, input);
    if (auto* refusal = std::get_if<api_response>(&parsed)) return respond(std::move(*refusal));
    auto a = std::get<engine::award>(std::move(parsed));
    json audit{{"at", engine::format_rfc3339(engine::now_seconds())}, {"actor", a.details["actor"]}, {"action", "adjustment"},
               {"participant", a.participant}, {"points", engine::points_json(a.points)}, {"reason", a.reason}, {"subject", a.subject}};
    auto apply = [a, audit = engine::to_text(audit)](std::shared_ptr<route_call> c, respond_fn respond) {
        auto store = std::make_shared<engine::award_store>(c->app.redis);
        auto& counters = c->app.counters;
        store->apply(c->c(), a, [store, &counters, subject = a.subject, respond = std::move(respond)](engine::apply_result result) {
            counters.count_award(engine::to_string(result.outcome));
            if (result.outcome == engine::apply_outcome::failed) return respond(json_error(503, "redis_unavailable", result.error));
            if (result.outcome == engine::apply_outcome::held) {
                auto busy = json_error(503, "recompute_in_progress", "a recompute is swapping the boards in; retry in a moment");
                busy.headers.emplace_back("Retry-After", "1");
                return respond(std::move(busy));
            }
            if (result.outcome == engine::apply_outcome::refused) return respond(json_error(422, "refused", result.error));
            if (result.outcome == engine::apply_outcome::after_final) return respond(json_error(409, "contest_final", "the contest is final: its standings are locked"));
            int status = result.outcome == engine::apply_outcome::applied ? 201 : 200;
            respond(json_ok({{"subject", subject}, {"outcome", engine::to_string(result.outcome)}, {"event_id", result.log_id}}, status));
        }, "", audit);
    };
    auto shared = std::make_shared<route_call>(std::move(call));
    // The adjustment's own id is its idempotency key when no header gave one (the router handled that).
    if (!shared->request.headers.count("idempotency-key") && input.contains("id"))
        return once_per_key(shared, "adjustment:" + a.subject.substr(a.subject.find(':') + 1), std::move(respond), apply);
    apply(shared, std::move(respond));
}

namespace {

// Reads the audit newest first in chunks until a page of matching entries is full.
struct audit_page : std::enable_shared_from_this<audit_page> {
    engine::redis_executor* redis;
    std::string key, action, actor, before;
    std::size_t limit = 50, scanned = 0;
    json entries = json::array();
    respond_fn respond;

    void step() {
        std::string end = before.empty() ? "+" : "(" + before;
        redis->execute({{{"XREVRANGE", key, end, "-", "COUNT", "500"}}}, [self = shared_from_this()](auto replies) {
            if (replies.at(0).is_error()) return self->respond(redis_failure(replies[0].text));
            const auto& chunk = replies[0].elements;
            for (const auto& entry : chunk) {
                if (entry.elements.size() != 2 || entry.elements[1].elements.size() != 2) continue;
                self->before = entry.elements[0].text;
                auto parsed = engine::parse_untrusted_json(entry.elements[1].elements[1].text);
                if (!parsed.ok() || !parsed.value.is_object()) continue;
                if (!self->action.empty() && parsed.value.value("action", "") != self->action) continue;
                if (!self->actor.empty() && parsed.value.value("actor", "") != self->actor) continue;
                parsed.value["id"] = entry.elements[0].text;
                self->entries.push_back(std::move(parsed.value));
                if (self->entries.size() == self->limit) return self->finish(true);
            }
            self->scanned += chunk.size();
            // A filter that matches little stops after 20,000 entries; the page says where to go on.
            if (chunk.size() < 500) return self->finish(false);
            if (self->scanned >= 20000) return self->finish(true);
            self->step();
        });
    }
    void finish(bool more) {
        respond(json_ok({{"entries", entries}, {"next_before", more ? json(before) : json(nullptr)}}));
    }
};

}  // namespace

void audit(route_call& call, respond_fn respond) {
    auto limit = parse_bounded(call.query("limit", "50"), 1, 1000);
    if (!limit) return respond(json_error(400, "bad_query", "limit: expected an integer from 1 to 1000"));
    static const std::regex stream_id("[0-9]{1,20}-[0-9]{1,20}");
    auto before = call.query("before");
    if (!before.empty() && !std::regex_match(before, stream_id))
        return respond(json_error(400, "bad_query", "before: expected an entry id such as 1764633600000-0"));
    auto job = std::make_shared<audit_page>();
    job->redis = &call.app.redis;
    job->key = engine::keys::audit(call.c().id);
    job->action = call.query("action");
    job->actor = call.query("actor");
    job->before = before;
    job->limit = static_cast<std::size_t>(*limit);
    job->respond = std::move(respond);
    job->step();
}

void unattributed(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    auto& redis = call.app.redis;
    redis.execute({{{"SMEMBERS", engine::keys::unattributed(c.id)}}}, [&redis, &c, respond = std::move(respond)](auto logins) {
        if (logins.at(0).is_error()) return respond(redis_failure(logins[0].text));
        std::vector<engine::redis_command> lookups;
        std::vector<std::string> names;
        for (const auto& login : logins[0].elements) {
            names.push_back(login.text);
            lookups.push_back({{"SMEMBERS", engine::keys::pending(c.id, login.text)}});
        }
        if (lookups.empty()) return respond(json_ok({{"logins", json::array()}}));
        redis.execute(std::move(lookups), [names, respond](auto replies) {
            json out = json::array();
            for (std::size_t i = 0; i < names.size(); ++i) {
                if (replies[i].is_error()) return respond(redis_failure(replies[i].text));
                json subjects = json::array();
                for (const auto& s : replies[i].elements) subjects.push_back(s.text);
                out.push_back({{"login", names[i]}, {"subjects", subjects}});
            }
            respond(json_ok({{"logins", out}}));
        });
    });
}

}  // namespace lb::gateway
