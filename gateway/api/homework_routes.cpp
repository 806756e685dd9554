// Homework: a participant hands in a link and a note per assignment (token or session), may
// replace it until a judge scores it; judges list what was handed in and score it 0..max
// with a comment, each score an award of its own (engine/core/homework.cpp decides).
#include "api/handlers.hpp"
#include "award_store.hpp"
#include "clock.hpp"
#include "homework.hpp"
#include "lua_script.hpp"
#include "rfc3339.hpp"
#include "store_keys.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

using json = nlohmann::json;

namespace {

std::vector<engine::hand_in> read_hand_ins(const engine::redis_value& values) {
    std::vector<engine::hand_in> out;
    for (const auto& v : values.elements)
        if (auto h = engine::hand_in::from_text(v.text)) out.push_back(std::move(*h));
    return out;
}

// A hand-in as the judges and the participant read it: times as RFC 3339, names beside ids.
json shown(const engine::contest& c, const engine::hand_in& h) {
    json j = h.to_json();
    j["id"] = h.id();
    j["handed_at"] = engine::format_rfc3339(h.handed_at);
    if (h.score) {
        j["score"] = engine::points_json(*h.score);
        j["scored_at"] = engine::format_rfc3339(h.scored_at);
    }
    if (const auto* p = c.find_participant(h.participant)) j["participant_name"] = p->name;
    return j;
}

}  // namespace

void hand_in_homework(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    auto parsed = json_object_body(call.request);
    if (auto* refused = std::get_if<api_response>(&parsed)) return respond(std::move(*refused));
    auto acting = acting_participant(call);
    if (auto* refused = std::get_if<api_response>(&acting)) return respond(std::move(*refused));
    const engine::participant* p = std::get<const engine::participant*>(acting);
    auto read = engine::read_hand_in(c, std::get<json>(parsed), engine::now_seconds());
    if (auto* refused = std::get_if<engine::write_refusal>(&read)) return respond(refused_write(*refused));
    auto h = std::get<engine::hand_in>(std::move(read));
    h.participant = p->id;
    engine::redis_command keep{{"1", engine::keys::homework(c.id), h.id(), engine::to_text(h.to_json())}, &engine::hand_in_script()};
    call.app.redis.execute({std::move(keep)}, [&c, h, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
        const auto& reply = replies.at(0);
        if (reply.is_error()) return respond(redis_failure(reply.text));
        if (reply.text == "scored")
            return respond(json_error(409, "already_scored", "assignment: \"" + h.assignment + "\" is scored; it can no longer be replaced"));
        respond(json_ok(shown(c, h), 201));
    });
}

// What the participant has to do: every assignment of every component that takes homework,
// with what they handed in and its score, if any.
void my_homework(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    std::string pid = call.who.participant;
    // Only this participant's hand-ins are read: one field per assignment, not the whole contest's.
    std::vector<std::pair<const engine::component_rule*, const engine::assignment_rule*>> assignments;
    engine::redis_command read{{"HMGET", engine::keys::homework(c.id)}};
    for (const auto& rule : c.components)
        if (rule.submissions)
            for (const auto& a : rule.submissions->assignments) {
                assignments.emplace_back(&rule, &a);
                read.argv.push_back(rule.id + ":" + a.id + ":" + pid);
            }
    if (assignments.empty()) return respond(json_ok({{"participant", pid}, {"assignments", json::array()}}));
    call.app.redis.execute({std::move(read)}, [&c, pid, assignments = std::move(assignments), respond = std::move(respond)](std::vector<engine::redis_value> replies) {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        const auto& stored = replies[0].elements;
        json list = json::array();
        for (std::size_t i = 0; i < assignments.size(); ++i) {
            const auto& [rule, a] = assignments[i];
            json item{{"component", rule->id}, {"component_name", {{"en", rule->name.en}, {"zh", rule->name.zh}}},
                      {"assignment", a->id}, {"name", {{"en", a->name.en}, {"zh", a->name.zh}}},
                      {"opens_at", engine::format_rfc3339(a->opens_at)}, {"due_at", engine::format_rfc3339(a->due_at)},
                      {"max", engine::points_json(rule->max)}, {"handed_in", nullptr}};
            if (i < stored.size() && !stored[i].is_nil())
                if (auto h = engine::hand_in::from_text(stored[i].text)) item["handed_in"] = shown(c, *h);
            list.push_back(std::move(item));
        }
        respond(json_ok({{"participant", pid}, {"assignments", list}}));
    });
}

void list_homework(route_call& call, respond_fn respond) {
    auto state = call.query("state", "all");
    if (state != "all" && state != "pending" && state != "scored")
        return respond(json_error(400, "bad_query", "state: expected all, pending or scored"));
    const auto& c = call.c();
    auto& redis = call.app.redis;
    redis.execute({{{"HVALS", engine::keys::homework(c.id)}}}, [&redis, &c, state, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        auto all = read_hand_ins(replies[0]);
        std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return std::tie(a.handed_at, a.participant) < std::tie(b.handed_at, b.participant); });
        std::erase_if(all, [&](const auto& h) { return state != "all" && (state == "pending") != !h.score; });
        // Who holds each waiting hand-in, as the reproductions' queue says it.
        std::vector<engine::redis_command> claims;
        for (const auto& h : all) claims.push_back({{"GET", engine::keys::claim(c.id, h.id())}});
        if (claims.empty()) return respond(json_ok({{"hand_ins", json::array()}}));
        redis.execute(std::move(claims), [&c, all, respond](std::vector<engine::redis_value> holders) {
            json out = json::array();
            for (std::size_t i = 0; i < all.size(); ++i) {
                json j = shown(c, all[i]);
                if (!all[i].score) {
                    const auto& holder = holders.at(i);
                    j["claimed_by"] = holder.is_nil() || holder.is_error() ? json(nullptr) : json(holder.text);
                }
                out.push_back(std::move(j));
            }
            respond(json_ok({{"hand_ins", out}}));
        });
    });
}

void score_homework(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    if (c.is_final()) return respond(final_refusal(c));
    const auto& id = call.param("hand_in");
    auto key = engine::read_hand_in_id(id);
    const engine::component_rule* rule = key ? c.find_component(key->component) : nullptr;
    if (!key || !rule || !rule->submissions)
        return respond(json_error(404, "unknown_hand_in", "hand_in: expected <component>:<assignment>:<participant> of contest \"" + c.id + "\""));
    auto parsed = json_object_body(call.request);
    if (auto* refused = std::get_if<api_response>(&parsed)) return respond(std::move(*refused));
    auto read = engine::read_homework_score(*rule, std::get<json>(parsed));
    if (auto* refused = std::get_if<engine::write_refusal>(&read)) return respond(refused_write(*refused));
    auto score = std::get<engine::homework_score>(std::move(read));
    auto judge = call.who.actor;
    auto& redis = call.app.redis;
    redis.execute({{{"HGET", engine::keys::homework(c.id), id}}, {{"GET", engine::keys::claim(c.id, id)}}},
                  [&redis, &c, rule, id, judge, score, respond = std::move(respond)](auto replies) {
        for (const auto& reply : replies)
            if (reply.is_error()) return respond(redis_failure(reply.text));
        auto h = replies[0].is_nil() ? std::nullopt : engine::hand_in::from_text(replies[0].text);
        const engine::participant* p = h ? c.find_participant(h->participant) : nullptr;
        if (!h || !p) return respond(json_error(404, "unknown_hand_in", "hand_in: nothing handed in as \"" + id + "\""));
        if (!replies[1].is_nil() && replies[1].text != judge)
            return respond(json_error(409, "claimed", "hand_in: \"" + id + "\" is being judged by " + replies[1].text));
        auto now = engine::now_seconds();
        h->score = score.points;
        h->comment = score.comment;
        h->judge = judge;
        h->scored_at = now;
        auto award = engine::homework_award(c, *p, *rule, *h, engine::now_millis(), engine::awarded_at(c, now));
        auto audit = audit_entry({judge, ""}, "homework_score", {{"hand_in", id}, {"points", engine::points_json(score.points)}});
        engine::redis_command keep{{"2", engine::keys::homework(c.id), engine::keys::audit(c.id), id, std::to_string(h->handed_at),
                                    engine::to_text(h->to_json()), engine::to_text(audit)},
                                   &engine::score_hand_in_script()};
        redis.execute({std::move(keep)}, [&redis, &c, h = *h, award = std::move(award), respond](std::vector<engine::redis_value> kept) mutable {
            const auto& reply = kept.at(0);
            if (reply.is_error()) return respond(redis_failure(reply.text));
            if (reply.text == "changed")
                return respond(json_error(409, "hand_in_changed", "hand_in: the participant replaced it meanwhile; read it again"));
            if (reply.text != "ok") return respond(json_error(404, "unknown_hand_in", "hand_in: it is gone"));
            redis.execute({{{"DEL", engine::keys::claim(c.id, h.id())}}}, [](auto) {});
            auto store = std::make_shared<engine::award_store>(redis);
            std::vector<engine::award> awards{std::move(award)};
            store->apply_all(c, std::move(awards), [store, &c, h, respond](int, std::string error) {
                if (!error.empty()) return respond(redis_failure(error));
                respond(json_ok(shown(c, h)));
            });
        });
    });
}

namespace {

// The hand-in the path names, or the refusal.
std::optional<api_response> unknown_hand_in(const route_call& call) {
    auto key = engine::read_hand_in_id(call.param("hand_in"));
    const engine::component_rule* rule = key ? call.c().find_component(key->component) : nullptr;
    if (key && rule && rule->submissions) return std::nullopt;
    return json_error(404, "unknown_hand_in", "hand_in: expected <component>:<assignment>:<participant> of contest \"" + call.c().id + "\"");
}

}  // namespace

// A judge takes a hand-in for 15 minutes, so two judges do not score it at once (as for reproductions).
void claim_hand_in(route_call& call, respond_fn respond) {
    if (auto refused = unknown_hand_in(call)) return respond(std::move(*refused));
    const auto& c = call.c();
    const auto& id = call.param("hand_in");
    auto& redis = call.app.redis;
    redis.execute({{{"HGET", engine::keys::homework(c.id), id}}}, [&redis, &c, id, judge = call.who.actor, respond = std::move(respond)](auto replies) {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        auto h = replies[0].is_nil() ? std::nullopt : engine::hand_in::from_text(replies[0].text);
        if (!h) return respond(json_error(404, "unknown_hand_in", "hand_in: nothing handed in as \"" + id + "\""));
        if (h->score) return respond(json_error(409, "already_scored", "hand_in: \"" + id + "\" was scored by " + h->judge));
        take_claim(redis, engine::keys::claim(c.id, id), judge, "hand_in: \"" + id + "\"", {{"hand_in", id}}, respond);
    });
}

void release_hand_in_claim(route_call& call, respond_fn respond) {
    if (auto refused = unknown_hand_in(call)) return respond(std::move(*refused));
    const auto& id = call.param("hand_in");
    drop_claim(call.app.redis, engine::keys::claim(call.c().id, id), call.who, "hand_in: \"" + id + "\"", {{"hand_in", id}}, std::move(respond));
}

}  // namespace lb::gateway
