// Organizer routes (behind the admin token; api_router checks it first).
#include <algorithm>
#include <regex>
#include <variant>

#include <nlohmann/json.hpp>
#include <openssl/rand.h>

#include "api/admin_handlers.hpp"
#include "award.hpp"
#include "hex.hpp"
#include "store_keys.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

std::string random_id() {
    unsigned char bytes[12];
    RAND_bytes(bytes, sizeof bytes);
    return engine::to_hex(bytes, sizeof bytes);
}

// Validates an adjustment body completely; returns the award or the reason it was refused.
std::variant<engine::award, api_response> parse_adjustment(const engine::contest& c, const std::string& body) {
    auto input = json::parse(body, nullptr, false);
    if (input.is_discarded() || !input.is_object()) return json_error(400, "malformed_json", "the body must be a JSON object");
    if (!input.contains("participant") || !input["participant"].is_string())
        return json_error(400, "bad_field", "participant: expected a participant id");
    const engine::participant* p = c.find_participant(input["participant"].get<std::string>());
    if (!p) return json_error(400, "bad_field", "participant: unknown participant");
    if (!input.contains("points") || !input["points"].is_number()) return json_error(400, "bad_field", "points: expected a number");
    auto points = engine::to_centi(input["points"].get<double>());
    if (!points) return json_error(400, "bad_field", "points: at most two decimals and below 5,000,000 in magnitude");
    if (!input.contains("reason") || !input["reason"].is_string() || input["reason"].get<std::string>().empty() ||
        input["reason"].get<std::string>().size() > 500)
        return json_error(400, "bad_field", "reason: expected a non-empty string of at most 500 bytes");
    std::string id = random_id();
    if (input.contains("id")) {
        static const std::regex pattern("[A-Za-z0-9_.-]{1,64}");
        if (!input["id"].is_string() || !std::regex_match(input["id"].get<std::string>(), pattern))
            return json_error(400, "bad_field", "id: expected letters, digits, '_', '.' or '-' (at most 64)");
        id = input["id"].get<std::string>();
    }
    engine::award a;
    a.subject = "adjustment:" + id;
    a.kind = "adjustment";
    a.component = "adjustments";
    a.participant = p->id;
    a.points = *points;
    a.at = std::clamp(engine::now_seconds(), c.starts_at, c.ends_at);
    a.reason = input["reason"].get<std::string>();
    std::string actor = "admin";
    if (input.contains("actor")) {
        static const std::regex actor_pattern("[A-Za-z0-9_.@-]{1,64}");
        if (!input["actor"].is_string() || !std::regex_match(input["actor"].get<std::string>(), actor_pattern))
            return json_error(400, "bad_field", "actor: expected a name of letters, digits, '_', '.', '@' or '-' (at most 64)");
        actor = input["actor"].get<std::string>();
    }
    a.details = {{"actor", actor}};
    a.contributions = engine::contributions_for(c, *p, a.component, a.points);
    return a;
}

}  // namespace

std::variant<admin_action, api_response> read_action(const json& source, bool reason_required) {
    admin_action action;
    static const std::regex actor_pattern("[A-Za-z0-9_.@-]{1,64}");
    if (source.contains("actor")) {
        if (!source["actor"].is_string() || !std::regex_match(source["actor"].get<std::string>(), actor_pattern))
            return json_error(400, "bad_field", "actor: expected a name of letters, digits, '_', '.', '@' or '-' (at most 64)");
        action.actor = source["actor"].get<std::string>();
    }
    if (source.contains("reason")) {
        if (!source["reason"].is_string() || source["reason"].get<std::string>().size() > 500)
            return json_error(400, "bad_field", "reason: expected a string of at most 500 bytes");
        action.reason = source["reason"].get<std::string>();
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

std::variant<admin_action, api_response> read_body_action(const api_request& request, bool reason_required) {
    json body = request.body.empty() ? json::object() : json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return json_error(400, "malformed_json", "the body must be a JSON object");
    return read_action(body, reason_required);
}

json audit_entry(const admin_action& action, std::string_view what, json details) {
    details["at"] = engine::format_rfc3339(engine::now_seconds());
    details["actor"] = action.actor;
    details["action"] = what;
    details["reason"] = action.reason;
    return details;
}

void api_router::adjustment(const engine::contest& c, const api_request& request, respond_fn respond) {
    if (!request.content_type.starts_with("application/json"))
        return respond(json_error(415, "unsupported_media_type", "send the adjustment as application/json"));
    auto parsed = parse_adjustment(c, request.body);
    if (auto* refusal = std::get_if<api_response>(&parsed)) return respond(std::move(*refusal));
    auto a = std::get<engine::award>(std::move(parsed));
    std::string subject = a.subject;
    json audit{{"at", engine::format_rfc3339(engine::now_seconds())}, {"actor", a.details["actor"]}, {"action", "adjustment"},
               {"participant", a.participant}, {"points", engine::points_json(a.points)}, {"reason", a.reason}, {"subject", subject}};
    store_.apply(c, a, [this, subject, respond = std::move(respond)](engine::apply_result result) {
        app_.counters.count_award(engine::to_string(result.outcome));
        if (result.outcome == engine::apply_outcome::failed) return respond(json_error(503, "redis_unavailable", result.error));
        if (result.outcome == engine::apply_outcome::refused) return respond(json_error(422, "refused", result.error));
        int status = result.outcome == engine::apply_outcome::applied ? 201 : 200;
        respond({status, "application/json",
                 json{{"subject", subject}, {"outcome", engine::to_string(result.outcome)}, {"event_id", result.log_id}}.dump(), {}});
    }, "", audit.dump());
}

void api_router::audit(const engine::contest& c, respond_fn respond) {
    app_.redis.execute({{{"XRANGE", engine::keys::audit(c.id), "-", "+", "COUNT", "10000"}}}, [respond = std::move(respond)](auto replies) {
        if (replies.at(0).is_error()) return respond(json_error(503, "redis_unavailable", replies[0].text));
        json entries = json::array();
        for (const auto& entry : replies[0].elements) {
            if (entry.elements.size() != 2 || entry.elements[1].elements.size() != 2) continue;
            auto parsed = json::parse(entry.elements[1].elements[1].text, nullptr, false);
            if (parsed.is_discarded()) continue;
            parsed["id"] = entry.elements[0].text;
            entries.push_back(std::move(parsed));
        }
        respond({200, "application/json", json{{"entries", entries}}.dump(), {}});
    });
}

void api_router::unattributed(const engine::contest& c, respond_fn respond) {
    app_.redis.execute({{{"SMEMBERS", engine::keys::unattributed(c.id)}}}, [this, &c, respond = std::move(respond)](auto logins) {
        if (logins.at(0).is_error()) return respond(json_error(503, "redis_unavailable", logins[0].text));
        std::vector<engine::redis_command> lookups;
        std::vector<std::string> names;
        for (const auto& login : logins[0].elements) {
            names.push_back(login.text);
            lookups.push_back({{"SMEMBERS", engine::keys::pending(c.id, login.text)}});
        }
        if (lookups.empty()) return respond({200, "application/json", R"({"logins":[]})", {}});
        app_.redis.execute(std::move(lookups), [names, respond](auto replies) {
            json out = json::array();
            for (std::size_t i = 0; i < names.size(); ++i) {
                if (replies[i].is_error()) return respond(json_error(503, "redis_unavailable", replies[i].text));
                json subjects = json::array();
                for (const auto& s : replies[i].elements) subjects.push_back(s.text);
                out.push_back({{"login", names[i]}, {"subjects", subjects}});
            }
            respond({200, "application/json", json{{"logins", out}}.dump(), {}});
        });
    });
}

}  // namespace lb::gateway
