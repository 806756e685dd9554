// What the views by contest kind show beside each row: merged PR counts, the reproduction
// grid (participant x model: accepted with its time, the first one marked, pending) and
// judged component scores. Public reads follow the public freeze: awards from the freeze on
// are not counted, and a reproduction accepted since shows as pending; the admin's are live.
#include <algorithm>
#include <cstdlib>

#include "api/handlers.hpp"
#include "award.hpp"
#include "clock.hpp"
#include "reproductions.hpp"
#include "standings.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

inline constexpr std::size_t max_cell_ids = 200;

struct cell_plan {
    std::vector<std::string> ids;
    std::optional<engine::unix_seconds> hidden_from;
    std::vector<std::string> component_boards;
    bool totals = false;
    std::vector<std::string> roster;  // every participant, for the contest-wide merged PR count
};

std::vector<engine::redis_command> cell_commands(const engine::contest& c, const cell_plan& plan) {
    std::string until = plan.hidden_from ? "(" + std::to_string(*plan.hidden_from) : "+inf";
    std::vector<engine::redis_command> commands;
    auto pr_count = [&](const std::string& id) {
        return engine::redis_command{{"ZCOUNT", engine::keys::contributors(c.id, "component:pull_requests", id), "-inf", until}};
    };
    if (c.pull_requests.enabled)
        for (const auto& id : plan.ids) commands.push_back(pr_count(id));
    if (!c.models.empty()) {
        engine::redis_command records{{"HMGET", engine::keys::ledger(c.id)}};
        for (const auto& m : c.models) records.argv.push_back("first_bonus:" + m.id);
        for (const auto& id : plan.ids)
            for (const auto& m : c.models) records.argv.push_back("reproduction:" + m.id + ":" + id);
        commands.push_back(std::move(records));
        commands.push_back({{"HVALS", engine::keys::submissions(c.id)}});
    }
    if (!plan.component_boards.empty())
        for (const auto& id : plan.ids) commands.push_back(engine::read_member_command(c, true, engine::now_seconds(), id, plan.component_boards));
    if (plan.totals && c.pull_requests.enabled)
        for (const auto& id : plan.roster) commands.push_back(pr_count(id));
    return commands;
}

json cell_answer(const engine::contest& c, const cell_plan& plan, const std::vector<engine::redis_value>& replies) {
    json rows = json::object();
    for (const auto& id : plan.ids) rows[id] = json::object();
    std::size_t next = 0;
    if (c.pull_requests.enabled)
        for (const auto& id : plan.ids) rows[id]["prs"] = replies.at(next++).integer;
    if (!c.models.empty()) {
        const auto& records = replies.at(next++).elements;
        const auto& stored = replies.at(next++).elements;
        auto counted = [&](std::size_t i) -> std::optional<engine::award> {
            if (i >= records.size() || records[i].is_nil()) return std::nullopt;
            auto a = engine::read_award_record(records[i].text);
            if (!a || a->points <= 0) return std::nullopt;
            return a;
        };
        auto visible = [&](const engine::award& a) { return !plan.hidden_from || a.at < *plan.hidden_from; };
        for (std::size_t p = 0; p < plan.ids.size(); ++p) {
            json models = json::object();
            for (std::size_t m = 0; m < c.models.size(); ++m) {
                auto a = counted(c.models.size() + p * c.models.size() + m);
                if (!a) continue;
                if (!visible(*a)) {
                    models[c.models[m].id] = {{"state", "pending"}};
                    continue;
                }
                auto first = counted(m);
                bool is_first = first && visible(*first) && first->participant == plan.ids[p];
                models[c.models[m].id] = {{"state", "accepted"}, {"at", engine::format_rfc3339(a->at)}, {"first", is_first}};
            }
            rows[plan.ids[p]]["models"] = std::move(models);
        }
        for (const auto& text : stored) {
            auto s = engine::submission::from_text(text.text);
            if (!s || s->verdict != "pending" || !rows.contains(s->participant) || !c.find_model(s->model)) continue;
            auto& cell = rows[s->participant]["models"];
            if (!cell.contains(s->model)) cell[s->model] = {{"state", "pending"}};
        }
    }
    if (!plan.component_boards.empty())
        for (const auto& id : plan.ids) {
            json scores = json::object();
            const auto& reply = replies.at(next++);
            for (std::size_t b = 0; b < plan.component_boards.size() && b < reply.elements.size(); ++b) {
                const auto& entry = reply.elements[b].elements;
                if (entry.size() != 2 || entry[0].integer < 0) continue;
                auto key = engine::decode_rank_score(std::strtod(entry[1].text.c_str(), nullptr), c.starts_at);
                scores[plan.component_boards[b].substr(10)] = engine::points_json(key.points);
            }
            rows[id]["components"] = std::move(scores);
        }
    json out{{"contest", c.id}, {"frozen", plan.hidden_from.has_value()}, {"rows", rows}};
    if (plan.totals && c.pull_requests.enabled) {
        long long merged = 0;
        for (std::size_t i = 0; i < plan.roster.size(); ++i) merged += replies.at(next++).integer;
        out["merged_prs"] = merged;
    }
    return out;
}

}  // namespace

void board_cells(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    auto ids = parse_id_list(call.query("ids"), max_cell_ids);
    if (!ids) return respond(json_error(400, "bad_query", "ids: expected up to 200 participant ids separated by commas"));
    auto totals = call.query("totals", "0");
    if (totals != "0" && totals != "1") return respond(json_error(400, "bad_query", "totals: expected 0 or 1"));
    cell_plan plan;
    for (auto& id : *ids)
        if (c.find_participant(id)) plan.ids.push_back(std::move(id));
    if (!call.who.admin) plan.hidden_from = c.frozen_since(engine::now_seconds());
    for (const auto& comp : c.components) plan.component_boards.push_back("component:" + comp.id);
    plan.totals = totals == "1";
    if (plan.totals)
        for (const auto& p : c.members().participants()) plan.roster.push_back(p.id);
    auto commands = cell_commands(c, plan);
    if (commands.empty()) return respond(json_ok(cell_answer(c, plan, {})));
    call.app.redis.execute(std::move(commands), [&c, plan = std::move(plan), respond = std::move(respond)](auto replies) {
        for (const auto& reply : replies)
            if (reply.is_error()) return respond(redis_failure(reply.text));
        respond(json_ok(cell_answer(c, plan, replies)));
    });
}

}  // namespace lb::gateway
