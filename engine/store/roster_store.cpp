#include "roster_store.hpp"

#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "json_reader.hpp"
#include "lua_script.hpp"
#include "people_store.hpp"
#include "roster_rows.hpp"
#include "store_keys.hpp"
#include "team_moves.hpp"
#include "untrusted_json.hpp"

namespace lb::engine {
redis_command roster_write_command(const contest& c, const std::vector<team>& teams,
                                   const std::vector<participant>& participants, const std::string& audit_entry) {
    redis_command command{{"4", keys::roster_teams(c.id), keys::roster_participants(c.id), keys::roster_revision(c.id),
                           keys::audit(c.id), audit_entry, std::to_string(teams.size())},
                          &roster_write_script()};
    for (const auto& t : teams) {
        command.argv.push_back(t.id);
        command.argv.push_back(team_to_json(t).dump());
    }
    for (const auto& p : participants) {
        command.argv.push_back(p.id);
        command.argv.push_back(participant_to_json(p).dump());
    }
    return command;
}

redis_command roster_revision_command(const contest& c) { return {{"GET", keys::roster_revision(c.id)}}; }

redis_command moves_revision_command() { return {{"GET", keys::community("moves")}}; }

namespace {

// The roster with each member who moved chapters given the moves their memberships make here.
roster with_moves(roster r, const redis_value& movers) {
    std::optional<std::vector<participant>> participants;  // copied at the first mover found here
    for (std::size_t i = 0; i + 1 < movers.elements.size(); i += 2) {
        auto record = parse_untrusted_json(movers.elements[i + 1].text);
        if (!record.ok() || !record.value.is_object()) continue;
        const auto& id = movers.elements[i].text;
        const participant* p = participant_of_person(r, id, logins_in(record.value));
        if (!p) continue;
        auto moves = team_moves(r.teams(), read_memberships(record.value));
        if (moves == p->moves) continue;
        if (!participants) participants = r.participants();
        (*participants)[p - r.participants().data()].moves = std::move(moves);
    }
    return participants ? roster(r.teams(), std::move(*participants)) : r;
}

}  // namespace

void load_roster(redis_executor& redis, const contest& c, roster_handler done) {
    redis.execute({roster_revision_command(c), {{"HGETALL", keys::roster_teams(c.id)}}, {{"HGETALL", keys::roster_participants(c.id)}},
                   {{"2", keys::community("moved"), keys::community("people")}, &read_movers_script()}},
                  [&c, done = std::move(done)](std::vector<redis_value> replies) {
                      for (const auto& reply : replies)
                          if (reply.is_error()) return done(std::nullopt, "", reply.text);
                      auto rows_of = [](const redis_value& hash) {
                          nlohmann::json rows = nlohmann::json::array();
                          for (std::size_t i = 1; i < hash.elements.size(); i += 2) {
                              auto row = parse_untrusted_json(hash.elements[i].text);
                              if (row.ok()) rows.push_back(std::move(row.value));
                          }
                          return rows;
                      };
                      std::string revision = replies[0].is_nil() ? "" : replies[0].text;
                      // Nothing imported: the configured roster.
                      const auto& movers = replies[3];
                      if (replies[1].elements.empty() && replies[2].elements.empty())
                          return done(with_moves(roster(c.teams, c.participants), movers), revision, "");
                      // Stored rows were validated when imported; read them with the same code. Logins may
                      // have moved between participants across imports (checked then), so none is checked here.
                      std::vector<config_error> errors;
                      json_reader r(errors);
                      auto namer = [](std::size_t i, const nlohmann::json&) { return "stored[" + std::to_string(i) + "]"; };
                      auto teams = read_team_rows(r, rows_of(replies[1]), namer, roster());
                      auto with_teams = merge_roster(roster(c.teams, c.participants), teams, {});
                      auto participant_rows = rows_of(replies[2]);
                      auto participants = read_participant_rows(r, participant_rows, namer, roster(with_teams.teams(), {}));
                      std::set<std::string> disqualified;
                      for (const auto& row : participant_rows)
                          if (bool_at(row, "disqualified").value_or(false)) disqualified.insert(string_at(row, "id").value_or(""));
                      for (auto& p : participants) p.disqualified = disqualified.count(p.id) > 0;
                      done(with_moves(merge_roster(with_teams, {}, participants), movers), revision, "");
                  });
}

}  // namespace lb::engine
