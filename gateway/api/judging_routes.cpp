// Reproduction submissions and verdicts.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <chrono>
#include <map>

#include <nlohmann/json.hpp>

#include "api/handlers.hpp"
#include "reproductions.hpp"
#include "store_keys.hpp"
#include "submission_store.hpp"
#include "untrusted_json.hpp"
#include "utf8.hpp"
#include "clock.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

json award_summary(const std::vector<engine::award>& awards) {
    json out = json::array();
    for (const auto& a : awards)
        out.push_back({{"subject", a.subject},
                       {"participant", a.participant.empty() ? json(nullptr) : json(a.participant)},
                       {"points", engine::points_json(a.points)}});
    return out;
}

}  // namespace

namespace {

// The claimed metrics: at most 20, each a finite number under a short name, the model's own among them.
std::string check_metrics(const json& body, const engine::model_rule& model) {
    const json* metrics = engine::object_at(body, "metrics");
    std::string wanted = "metrics." + model.metric + ": expected the measured " + model.metric + " as a number";
    if (!metrics) return wanted;
    if (metrics->size() > 20) return "metrics: at most 20 entries";
    for (const auto& [name, value] : metrics->items()) {
        if (name.empty() || name.size() > 64) return "metrics: names of 1 to 64 bytes";
        if (!engine::number_at(*metrics, name)) return "metrics." + name + ": expected a finite number";
    }
    return engine::number_at(*metrics, model.metric) ? "" : wanted;
}

}  // namespace

void submit_reproduction(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    if (c.models.empty()) return respond(json_error(404, "not_found", "contest \"" + c.id + "\" has no reproduction models"));
    auto parsed = json_object_body(call.request);
    if (auto* refusal = std::get_if<api_response>(&parsed)) return respond(std::move(*refusal));
    const auto& body = std::get<json>(parsed);
    auto model_id = engine::string_at(body, "model");
    if (!model_id) return respond(json_error(400, "bad_field", "model: expected a model id"));
    const engine::model_rule* model = c.find_model(*model_id);
    if (!model) return respond(json_error(400, "bad_field", "model: contest \"" + c.id + "\" has no model \"" + *model_id + "\""));
    if (auto error = check_metrics(body, *model); !error.empty()) return respond(json_error(400, "bad_field", error));
    auto url = engine::string_at(body, "evidence_url");
    if (!url || !engine::is_web_link(*url))
        return respond(json_error(400, "bad_field", "evidence_url: expected an http(s) URL of at most 500 bytes"));
    auto acting = acting_participant(call);
    if (auto* refused = std::get_if<api_response>(&acting)) return respond(std::move(*refused));
    const engine::participant* p = std::get<const engine::participant*>(acting);
    auto now = engine::now_seconds();
    if (now < c.starts_at || now >= c.ends_at)
        return respond(json_error(409, "contest_closed", "submissions are taken between starts_at and ends_at"));
    engine::submission s;
    s.participant = p->id;
    s.model = model->id;
    s.claimed = body["metrics"];
    s.evidence_url = *url;
    s.submitted_at = now;
    auto& redis = call.app.redis;
    // The arrival number is drawn only for a valid submission: a refused one changes nothing.
    redis.execute({{{"INCR", engine::keys::submission_sequence(c.id)}}}, [&redis, &c, s, respond = std::move(respond)](std::vector<engine::redis_value> drawn) mutable {
        if (drawn.at(0).is_error()) return respond(redis_failure(drawn[0].text));
        s.sequence = drawn[0].integer;
        s.id = "s" + std::to_string(s.sequence);
        redis.execute({engine::store_submission_command(c, s)}, [s, respond](std::vector<engine::redis_value> stored) {
            if (stored.at(0).is_error()) return respond(redis_failure(stored[0].text));
            respond(json_ok({{"id", s.id}, {"model", s.model}, {"participant", s.participant}, {"verdict", s.verdict},
                             {"submitted_at", engine::format_rfc3339(s.submitted_at)}},
                            201));
        });
    });
}

void record_verdict(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    const auto& sid = call.param("sid");
    auto parsed = json_object_body(call.request);
    if (auto* refusal = std::get_if<api_response>(&parsed)) return respond(std::move(*refusal));
    const auto& body = std::get<json>(parsed);
    auto accepted = engine::bool_at(body, "accepted");
    if (!accepted) return respond(json_error(400, "bad_field", "accepted: expected true or false"));
    auto measured = engine::number_at(body, "measured");
    if (body.contains("measured") && !body["measured"].is_null() && !measured)
        return respond(json_error(400, "bad_field", "measured: expected a finite number"));
    if (*accepted && !measured)
        return respond(json_error(400, "bad_field", "measured: required when accepting (the metric as the judge measured it)"));
    auto action = read_action(call.who, body, !*accepted);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    auto dry = call.query("dry_run", "0");
    bool dry_run = dry != "0" && dry != "false";
    if (c.is_final() && !dry_run) return respond(final_refusal(c));
    auto& app = call.app;
    auto& redis = call.app.redis;
    redis.execute({{{"HGET", engine::keys::submissions(c.id), sid}}, {{"GET", engine::keys::claim(c.id, sid)}}},
                  [&app, &redis, &c, sid, measured, dry_run, accepted = *accepted, who = std::get<admin_action>(action),
                   respond = std::move(respond)](std::vector<engine::redis_value> replies) mutable {
                      if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
                      if (replies.at(1).is_error()) return respond(redis_failure(replies[1].text));
                      auto stored = replies[0].is_nil() ? std::nullopt : engine::submission::from_text(replies[0].text);
                      if (!stored) return respond(json_error(404, "unknown_submission", "contest \"" + c.id + "\" has no submission \"" + sid + "\""));
                      if (!replies[1].is_nil() && replies[1].text != who.actor)
                          return respond(json_error(409, "claimed", "submission \"" + sid + "\" is being judged by " + replies[1].text));
                      const engine::model_rule* model = c.find_model(stored->model);
                      if (!model) return respond(json_error(409, "unknown_model", "the submission's model is no longer in the contest"));
                      auto s = *stored;
                      s.verdict = accepted ? "accepted" : "rejected";
                      s.measured = measured;
                      s.auto_accepted = false;
                      s.judge = who.actor;
                      s.verdict_reason = who.reason;
                      s.judged_at = engine::now_seconds();
                      if (dry_run) return preview_verdict(app, c, std::move(s), std::move(respond));
                      bool qualifies = engine::qualifies(*model, s);
                      redis.execute({{{"DEL", engine::keys::claim(c.id, sid)}}}, [](auto) {});
                      auto audit = audit_entry(who, "verdict", {{"submission", sid}, {"participant", s.participant}, {"model", s.model},
                                                                 {"accepted", accepted}, {"measured", measured ? json(*measured) : json(nullptr)},
                                                                 {"qualifies", qualifies}});
                      engine::decide_model(redis, c, *model, &s, engine::to_text(audit),
                                           [s, qualifies, respond = std::move(respond)](auto state, auto awards, int moved, std::string error) {
                                               if (!state || !error.empty()) return respond(redis_failure(error));
                                               auto j = s.to_json();
                                               j["submitted_at"] = engine::format_rfc3339(s.submitted_at);
                                               respond(json_ok({{"submission", j}, {"qualifies", qualifies}, {"awards", award_summary(awards)},
                                                                {"awards_moved", moved}}));
                                           });
                  });
}

namespace {

// Re-decides the contest's models one after another.
struct model_rescore : std::enable_shared_from_this<model_rescore> {
    app_context* app;
    const engine::contest* c;
    std::size_t next = 0;
    int moved = 0;
    std::function<void(int, std::string)> done;

    void step() {
        if (next == c->models.size()) return done(moved, "");
        const auto& model = c->models[next++];
        engine::decide_model(app->redis, *c, model, nullptr, "", [self = shared_from_this()](auto, auto, int count, std::string error) {
            if (!error.empty()) return self->done(self->moved, error);
            self->moved += count;
            self->step();
        });
    }
};

}  // namespace

void rescore_models(app_context& app, const engine::contest& c, std::function<void(int, std::string)> done) {
    auto job = std::make_shared<model_rescore>();
    job->app = &app;
    job->c = &c;
    job->done = std::move(done);
    job->step();
}

}  // namespace lb::gateway
