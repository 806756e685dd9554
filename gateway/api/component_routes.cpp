// Judged component scores: uploads checked whole, previewed by a dry run, then applied.
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
    if (rule->submissions)
        return respond(json_error(409, "scored_by_assignment", "component \"" + component + "\" takes homework: score each hand-in (POST .../homework/{hand_in}/score)"));
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
    auto version = engine::now_millis();
    auto at = engine::awarded_at(c, engine::now_seconds());
    std::vector<engine::award> awards;
    json ids = json::array();
    for (const auto& [pid, points] : scores) {
        awards.push_back(engine::make_component_award(c, *c.find_participant(pid), component, points, at, version, who.reason, who.actor));
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

}  // namespace lb::gateway
