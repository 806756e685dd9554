// The judges' queue: submissions oldest first with who is judging them, claims that keep
// two judges off one submission, and the preview of a verdict before it is recorded.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/handlers.hpp"
#include "reproductions.hpp"
#include "store_keys.hpp"
#include "clock.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

constexpr const char* claim_seconds = "900";

std::vector<engine::submission> read_submissions(const engine::redis_value& reply) {
    std::vector<engine::submission> all;
    for (const auto& row : reply.elements)
        if (auto s = engine::submission::from_text(row.text)) all.push_back(std::move(*s));
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
    return all;
}

bool matches(const engine::submission& s, const std::string& state, const std::string& search) {
    if (state == "pending" && s.verdict != "pending") return false;
    if (state == "judged" && s.verdict == "pending") return false;
    if (search.empty()) return true;
    for (const auto* field : {&s.id, &s.participant, &s.model, &s.judge, &s.evidence_url})
        if (engine::to_lower_ascii(*field).find(search) != std::string::npos) return true;
    return false;
}

// Who holds the model's first bonus, given its submissions.
json first_bonus_holder(const engine::contest& c, const engine::model_rule& model, const std::vector<engine::submission>& all) {
    for (const auto& a : engine::reproduction_awards(c, model, all, 0))
        if (a.kind == "first_bonus")
            return a.participant.empty() || a.points == 0 ? json(nullptr) : json(a.participant);
    return nullptr;
}

}  // namespace

void list_submissions(route_call& call, respond_fn respond) {
    auto state = call.query("state", "all");
    if (state != "all" && state != "pending" && state != "judged")
        return respond(json_error(400, "bad_query", "state: expected all, pending or judged"));
    auto search = engine::to_lower_ascii(call.query("q"));
    if (search.size() > 200) return respond(json_error(400, "bad_query", "q: at most 200 bytes"));
    auto& redis = call.app.redis;
    const auto& c = call.c();
    redis.execute({{{"HVALS", engine::keys::submissions(c.id)}}}, [&redis, &c, state, search, respond = std::move(respond)](auto replies) {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        auto all = read_submissions(replies[0]);
        std::erase_if(all, [&](const auto& s) { return !matches(s, state, search); });
        engine::redis_command claims{{"MGET"}};
        for (const auto& s : all) claims.argv.push_back(engine::keys::claim(c.id, s.id));
        auto answer = [all = std::move(all)](const std::vector<engine::redis_value>* claimed) {
            json out = json::array();
            for (std::size_t i = 0; i < all.size(); ++i) {
                auto j = all[i].to_json();
                j["submitted_at"] = engine::format_rfc3339(all[i].submitted_at);
                const auto* holder = claimed && i < claimed->size() ? &(*claimed)[i] : nullptr;
                j["claimed_by"] = holder && !holder->is_nil() && !holder->is_error() ? json(holder->text) : json(nullptr);
                out.push_back(std::move(j));
            }
            return json_ok({{"submissions", out}});
        };
        if (claims.argv.size() == 1) return respond(answer(nullptr));
        redis.execute({std::move(claims)}, [answer, respond](auto replies) {
            if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
            respond(answer(&replies[0].elements));
        });
    });
}

void take_claim(engine::redis_executor& redis, const std::string& key, const std::string& judge, const std::string& what, json answer,
                respond_fn respond) {
    // SET NX takes it for one judge only; claiming one's own again extends it.
    redis.execute({{{"SET", key, judge, "NX", "EX", claim_seconds}}, {{"GET", key}}}, [&redis, what, judge, key, answer, respond](auto replies) mutable {
        for (const auto& reply : replies)
            if (reply.is_error()) return respond(redis_failure(reply.text));
        const auto& holder = replies[1].text;
        if (holder != judge) return respond(json_error(409, "claimed", what + " is being judged by " + holder));
        if (replies[0].is_nil()) redis.execute({{{"EXPIRE", key, claim_seconds}}}, [](auto) {});
        answer.update({{"claimed_by", judge}, {"expires_in", std::stoi(claim_seconds)}});
        respond(json_ok(std::move(answer)));
    });
}

void drop_claim(engine::redis_executor& redis, const std::string& key, const caller& who, const std::string& what, json answer, respond_fn respond) {
    redis.execute({{{"GET", key}}}, [&redis, key, what, admin = who.admin, judge = who.actor, answer, respond](auto replies) mutable {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        if (replies[0].is_nil()) {
            answer["outcome"] = "unchanged";
            return respond(json_ok(std::move(answer)));
        }
        if (replies[0].text != judge && !admin)
            return respond(json_error(409, "claimed", what + " is claimed by " + replies[0].text + "; only they or an admin release it"));
        redis.execute({{{"DEL", key}}}, [answer, respond](auto replies) mutable {
            if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
            answer["outcome"] = "released";
            respond(json_ok(std::move(answer)));
        });
    });
}

void claim_submission(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    const auto& sid = call.param("sid");
    auto judge = call.who.actor;
    auto key = engine::keys::claim(c.id, sid);
    auto& redis = call.app.redis;
    redis.execute({{{"HGET", engine::keys::submissions(c.id), sid}}}, [&redis, &c, sid, judge, key, respond = std::move(respond)](auto replies) {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        auto s = replies[0].is_nil() ? std::nullopt : engine::submission::from_text(replies[0].text);
        if (!s) return respond(json_error(404, "unknown_submission", "contest \"" + c.id + "\" has no submission \"" + sid + "\""));
        if (s->verdict != "pending")
            return respond(json_error(409, "already_judged", "submission \"" + sid + "\" was " + s->verdict + " by " + s->judge));
        take_claim(redis, key, judge, "submission \"" + sid + "\"", {{"submission", sid}}, respond);
    });
}

void release_claim(route_call& call, respond_fn respond) {
    const auto& sid = call.param("sid");
    drop_claim(call.app.redis, engine::keys::claim(call.c().id, sid), call.who, "submission \"" + sid + "\"", {{"submission", sid}}, std::move(respond));
}

void preview_verdict(app_context& app, const engine::contest& c, engine::submission changed, respond_fn respond) {
    const engine::model_rule* model = c.find_model(changed.model);
    if (!model) return respond(json_error(409, "unknown_model", "the submission's model is no longer in the contest"));
    app.redis.execute({{{"HVALS", engine::keys::submissions(c.id)}}}, [&c, model, changed = std::move(changed), respond](auto replies) {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        auto all = read_submissions(replies[0]);
        std::erase_if(all, [&](const auto& s) { return s.model != model->id; });
        auto before = first_bonus_holder(c, *model, all);
        for (auto& s : all)
            if (s.id == changed.id) s = changed;
        auto after = first_bonus_holder(c, *model, all);
        json check{{"metric", model->metric}, {"target", model->target}, {"tolerance", model->tolerance},
                   {"measured", changed.measured ? json(*changed.measured) : json(nullptr)},
                   {"difference", changed.measured ? json(*changed.measured - model->target) : json(nullptr)}};
        respond(json_ok({{"dry_run", true}, {"submission", changed.id}, {"verdict", changed.verdict},
                         {"qualifies", engine::qualifies(*model, changed)}, {"tolerance_check", check},
                         {"first_bonus", {{"before", before}, {"after", after}}}}));
    });
}

}  // namespace lb::gateway
