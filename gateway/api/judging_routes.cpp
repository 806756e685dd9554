// Judged component scores, reproduction submissions and verdicts.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <chrono>
#include <map>
#include <regex>

#include <nlohmann/json.hpp>

#include "api/handlers.hpp"
#include "csv.hpp"
#include "ledger_entry.hpp"
#include "reproductions.hpp"
#include "store_keys.hpp"
#include "submission_store.hpp"
#include "untrusted_json.hpp"
#include "clock.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {


std::int64_t now_millis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// {"pid": points} or CSV "participant,points": every row checked before anything is applied.
std::vector<std::string> read_scores(const engine::contest& c, const engine::component_rule& rule, const api_request& request,
                                     std::vector<std::pair<std::string, engine::centi>>& out) {
    std::vector<std::string> problems;
    auto check = [&](const std::string& where, const std::string& pid, const json& value) {
        if (!c.find_participant(pid)) return problems.push_back(where + ": unknown participant \"" + pid + "\"");
        double number = 0;
        if (value.is_number()) {
            number = value.get<double>();
        } else if (value.is_string()) {
            const auto& text = value.get_ref<const std::string&>();
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
            if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
                return problems.push_back(where + ": points: expected a number");
        } else {
            return problems.push_back(where + ": points: expected a number");
        }
        if (!std::isfinite(number)) return problems.push_back(where + ": points: expected a finite number");
        auto points = engine::to_centi(number);
        if (!points) return problems.push_back(where + ": points: at most two decimals");
        if (*points < 0 || *points > rule.max)
            return problems.push_back(where + ": points: must lie between 0 and the component's max " + engine::format_centi(rule.max));
        for (const auto& [seen, _] : out)
            if (seen == pid) return problems.push_back(where + ": participant \"" + pid + "\" appears twice");
        out.emplace_back(pid, *points);
    };
    if (engine::to_lower_ascii(request.content_type).starts_with("text/csv")) {
        auto table = engine::parse_csv(request.body);
        if (!table.error.empty()) return {table.error};
        auto rows = engine::csv_to_rows(table, {"participant", "points"});
        if (!rows.errors.empty()) return rows.errors;
        for (const auto& row : rows.rows) {
            std::string where = "line " + std::to_string(row["_line"].get<std::size_t>());
            if (!row.contains("participant")) problems.push_back(where + ": participant: required");
            else if (!row.contains("points")) problems.push_back(where + ": points: required");
            else check(where, row["participant"].get<std::string>(), row["points"]);
        }
    } else {
        auto body = engine::parse_untrusted_json(request.body);
        if (!body.ok()) return {"(body): " + body.error};
        if (!body.value.is_object()) return {"(body): expected a JSON object {\"participant id\": points}"};
        for (const auto& [pid, value] : body.value.items()) check(pid, pid, value);
    }
    if (problems.empty() && out.empty()) problems.push_back("(body): no rows");
    return problems;
}

json award_summary(const std::vector<engine::award>& awards) {
    json out = json::array();
    for (const auto& a : awards)
        out.push_back({{"subject", a.subject},
                       {"participant", a.participant.empty() ? json(nullptr) : json(a.participant)},
                       {"points", engine::points_json(a.points)}});
    return out;
}

// The rows an upload would change, against the scores stored now; nothing is written.
void preview_scores(app_context& app, const engine::contest& c, std::vector<engine::award> awards, respond_fn respond) {
    engine::redis_command lookup{{"HMGET", engine::keys::ledger(c.id)}};
    for (const auto& a : awards) lookup.argv.push_back(a.subject);
    app.redis.execute({std::move(lookup)}, [awards = std::move(awards), respond = std::move(respond)](auto replies) {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        json changes = json::array();
        int unchanged = 0;
        for (std::size_t i = 0; i < awards.size(); ++i) {
            const auto* stored = i < replies[0].elements.size() ? &replies[0].elements[i] : nullptr;
            auto before = stored && !stored->is_nil() ? engine::read_ledger_entry(stored->text) : std::nullopt;
            if (before && before->points == awards[i].points) {
                ++unchanged;
                continue;
            }
            changes.push_back({{"participant", awards[i].participant},
                               {"before", before ? engine::points_json(before->points) : json(nullptr)},
                               {"after", engine::points_json(awards[i].points)}});
        }
        respond(json_ok({{"dry_run", true}, {"rows", awards.size()}, {"unchanged", unchanged}, {"changes", changes}}));
    });
}

}  // namespace

void put_component_scores(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    const auto& component = call.param("component");
    const auto& request = call.request;
    const engine::component_rule* rule = c.find_component(component);
    if (!rule) return respond(json_error(404, "unknown_component", "contest \"" + c.id + "\" has no judged component \"" + component + "\""));
    auto type = engine::to_lower_ascii(request.content_type);
    if (!type.starts_with("application/json") && !type.starts_with("text/csv"))
        return respond(json_error(415, "unsupported_media_type", "send {\"participant id\": points} as JSON or text/csv with participant,points"));
    auto action = read_action(call.who, action_in_query(call.target), false);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    auto dry = call.query("dry_run", "0");
    bool dry_run = dry != "0" && dry != "false";
    if (c.is_final() && !dry_run) return respond(final_refusal(c));
    std::vector<std::pair<std::string, engine::centi>> scores;
    auto problems = read_scores(c, *rule, request, scores);
    if (!problems.empty())
        return respond(json_ok({{"error", "invalid_rows"},
                                {"message", std::to_string(problems.size()) + " problem(s) found; no score was changed"},
                                {"problems", problems}},
                               400));
    const auto& who = std::get<admin_action>(action);
    auto version = now_millis();
    auto at = std::clamp(engine::now_seconds(), c.starts_at, c.ends_at);
    std::vector<engine::award> awards;
    json ids = json::array();
    for (const auto& [pid, points] : scores) {
        engine::award a;
        a.subject = "component:" + component + ":" + pid;
        a.kind = "component";
        a.component = component;
        a.participant = pid;
        a.points = points;
        a.at = at;
        a.version = version;
        a.reason = who.reason.empty() ? "judged " + component : who.reason;
        a.details = {{"judge", who.actor}};
        a.contributions = engine::contributions_for(c, *c.find_participant(pid), component, points);
        awards.push_back(std::move(a));
        ids.push_back(pid);
    }
    if (dry_run) return preview_scores(call.app, c, std::move(awards), std::move(respond));
    auto audit = audit_entry(who, "component_scores", {{"component", component}, {"rows", scores.size()}, {"participants", ids}});
    auto count = awards.size();
    auto& redis = call.app.redis;
    redis.execute({{{"XADD", engine::keys::audit(c.id), "*", "entry", engine::to_text(audit)}}},
                  [&redis, &c, count, awards = std::move(awards), respond = std::move(respond)](std::vector<engine::redis_value> replies) mutable {
                      if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
                      auto store = std::make_shared<engine::award_store>(redis);
                      store->apply_all(c, std::move(awards), [store, count, respond = std::move(respond)](int moved, std::string error) {
                          if (!error.empty()) return respond(redis_failure(error));
                          respond(json_ok({{"scores", count}, {"awards_moved", moved}}));
                      });
                  });
}

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
    static const std::regex url_pattern(R"(https?://[^\s]{1,490})");
    auto url = engine::string_at(body, "evidence_url");
    if (!url || !std::regex_match(*url, url_pattern))
        return respond(json_error(400, "bad_field", "evidence_url: expected an http(s) URL of at most 500 bytes"));
    const engine::participant* p = c.find_participant(call.who.participant);
    if (!p) return respond(json_error(401, "unauthorized", "this submission token is not valid for contest \"" + c.id + "\""));
    if (p->disqualified) return respond(json_error(403, "disqualified", "participant \"" + p->id + "\" is disqualified"));
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
