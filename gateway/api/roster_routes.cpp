// Admin imports of teams and participants, and disqualification.
#include <nlohmann/json.hpp>

#include "api/handlers.hpp"
#include "roster_rows.hpp"
#include "roster_store.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

// Writes rows, re-reads the roster here, then re-derives the awards of the participants
// whose points may land elsewhere now; answers with what happened.
void write_roster(app_context& app, const engine::contest& c, std::vector<engine::team> teams,
                  std::vector<engine::participant> participants, std::vector<std::string> moved_ids, json audit,
                  bool who_may_win_changed, json answer, respond_fn respond) {
    auto command = engine::roster_write_command(c, teams, participants, engine::to_text(audit));
    app.redis.execute({std::move(command)}, [&app, &c, moved_ids = std::move(moved_ids), who_may_win_changed, answer = std::move(answer),
                                             respond = std::move(respond)](std::vector<engine::redis_value> replies) mutable {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        app.sync->refresh(c, [&app, &c, moved_ids = std::move(moved_ids), who_may_win_changed, answer = std::move(answer),
                              respond = std::move(respond)](std::string error) mutable {
            if (!error.empty()) return respond(redis_failure(error));
            auto store = std::make_shared<engine::award_store>(app.redis);
            store->refresh_participants(c, moved_ids, [&app, &c, store, who_may_win_changed, answer = std::move(answer),
                                                       respond = std::move(respond)](int moved, std::string error) mutable {
                if (!error.empty()) return respond(redis_failure(error));
                answer["awards_moved"] = moved;
                // Re-derived awards already land on the new teams; only who may hold a first bonus needs deciding again.
                if (c.models.empty() || !who_may_win_changed) return respond(json_ok(answer));
                rescore_models(app, c, [answer = std::move(answer), respond = std::move(respond)](int moved, std::string error) mutable {
                    if (!error.empty()) return respond(redis_failure(error));
                    answer["awards_moved"] = answer["awards_moved"].get<int>() + moved;
                    respond(json_ok(answer));
                });
            });
        });
    });
}

json team_json(const engine::team& t) {
    return {{"id", t.id}, {"name", {{"en", t.name.en}, {"zh", t.name.zh}}}, {"kind", engine::to_string(t.kind)}};
}

json participant_json(const engine::participant& p) {
    json out{{"id", p.id}, {"name", p.name}};
    for (const auto& host : engine::all_hosts()) out[std::string(host.id)] = engine::login_on(p.logins, host.id);
    out["teams"] = p.teams;
    out["disqualified"] = p.disqualified;
    return out;
}

// What an import would change, row by row, against the roster now; nothing is written.
json import_preview(const engine::roster& current, const engine::roster_import& parsed) {
    json changes = json::array();
    int unchanged = 0;
    auto note = [&](json before, json after) {
        if (before == after) return void(++unchanged);
        changes.push_back({{"id", after["id"]}, {"change", before.is_null() ? "create" : "update"}, {"before", before}, {"after", after}});
    };
    for (const auto& t : parsed.teams) {
        const engine::team* was = current.find_team(t.id);
        note(was ? team_json(*was) : json(nullptr), team_json(t));
    }
    for (const auto& p : parsed.participants) {
        const engine::participant* was = current.find_participant(p.id);
        note(was ? participant_json(*was) : json(nullptr), participant_json(p));
    }
    return {{"dry_run", true}, {"rows", parsed.teams.size() + parsed.participants.size()}, {"unchanged", unchanged}, {"changes", changes}};
}

void import_roster(route_call& call, bool teams, respond_fn respond) {
    const auto& c = call.c();
    const auto& request = call.request;
    auto type = engine::to_lower_ascii(request.content_type);
    if (!type.starts_with("application/json") && !type.starts_with("text/csv"))
        return respond(json_error(415, "unsupported_media_type", "send a JSON array or text/csv with a header row"));
    auto action = read_action(call.who, action_in_query(call.target), false);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    const auto& current = c.members();
    auto parsed = teams ? engine::parse_team_import(current, type, request.body)
                        : engine::parse_participant_import(current, type, request.body);
    if (!parsed.errors.empty())
        return respond(json_ok({{"error", "invalid_rows"},
                                {"message", std::to_string(parsed.errors.size()) + " problem(s) found; nothing was imported"},
                                {"problems", parsed.errors}},
                               400));
    auto dry = call.query("dry_run", "0");
    if (dry != "0" && dry != "false") return respond(json_ok(import_preview(current, parsed)));
    if (c.is_final()) return respond(final_refusal(c));
    int created = 0;
    std::vector<std::string> moved_ids;
    for (const auto& t : parsed.teams)
        if (!current.find_team(t.id)) ++created;
    for (const auto& p : parsed.participants) {
        const engine::participant* before = current.find_participant(p.id);
        if (!before) ++created;
        if (!before || before->teams != p.teams || before->logins != p.logins) moved_ids.push_back(p.id);
    }
    std::size_t rows = teams ? parsed.teams.size() : parsed.participants.size();
    json ids = json::array();
    for (const auto& t : parsed.teams) ids.push_back(t.id);
    for (const auto& p : parsed.participants) ids.push_back(p.id);
    auto audit = audit_entry(std::get<admin_action>(action), teams ? "import_teams" : "import_participants",
                             {{"rows", rows}, {"ids", ids}});
    json answer{{"imported", rows}, {"created", created}, {"updated", static_cast<int>(rows) - created}};
    write_roster(call.app, c, std::move(parsed.teams), std::move(parsed.participants), std::move(moved_ids), std::move(audit), false,
                 std::move(answer), std::move(respond));
}

void set_disqualified(route_call& call, bool disqualified, respond_fn respond) {
    const auto& c = call.c();
    const auto& pid = call.param("pid");
    const engine::participant* p = c.find_participant(pid);
    if (!p) return respond(json_error(404, "unknown_participant", "contest \"" + c.id + "\" has no participant \"" + pid + "\""));
    if (c.is_final()) return respond(final_refusal(c));
    auto action = read_body_action(call, true);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    json answer{{"participant", pid}, {"disqualified", disqualified}};
    if (p->disqualified == disqualified) {
        answer["outcome"] = "unchanged";
        return respond(json_ok(answer));
    }
    answer["outcome"] = "applied";
    engine::participant changed = *p;
    changed.disqualified = disqualified;
    auto audit = audit_entry(std::get<admin_action>(action), disqualified ? "disqualify" : "reinstate", {{"participant", pid}});
    write_roster(call.app, c, {}, {changed}, {pid}, std::move(audit), true, std::move(answer), std::move(respond));
}

}  // namespace

void list_roster(route_call& call, respond_fn respond) {
    const auto& members = call.c().members();
    json teams = json::array(), participants = json::array();
    for (const auto& t : members.teams()) teams.push_back(team_json(t));
    for (const auto& p : members.participants()) participants.push_back(participant_json(p));
    respond(json_ok({{"teams", teams}, {"participants", participants}}));
}

void import_teams(route_call& call, respond_fn respond) { import_roster(call, true, std::move(respond)); }
void import_participants(route_call& call, respond_fn respond) { import_roster(call, false, std::move(respond)); }
void disqualify(route_call& call, respond_fn respond) { set_disqualified(call, true, std::move(respond)); }
void reinstate(route_call& call, respond_fn respond) { set_disqualified(call, false, std::move(respond)); }

}  // namespace lb::gateway
