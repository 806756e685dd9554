#pragma once
// Validating team and participant rows, shared by the configuration file, its
// CSV files and the admin imports: every bad row is named, nothing is half-read.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config_loader.hpp"
#include "contest.hpp"

namespace lb::engine {

class json_reader;

// Names row i in error paths: "contests[0].participants[3]", "[3]", "line 4".
using row_namer = std::function<std::string(std::size_t index, const nlohmann::json& row)>;

// Team rows; a team that exists in `current` may be renamed but keeps its kind.
std::vector<team> read_team_rows(json_reader& r, const nlohmann::json& rows, const row_namer& name_row, const roster& current);

// Participant rows; teams are looked up in `current` and `new_teams`, and a login
// already held by another participant of `current` is refused.
// A participants CSV's columns: id, name, a login column per host of the table, person, teams.
std::vector<std::string> participant_columns();

std::vector<participant> read_participant_rows(json_reader& r, const nlohmann::json& rows, const row_namer& name_row,
                                               const roster& current, const std::vector<team>& new_teams = {});

// Rows from a CSV file (csv_to_rows): "name" and "name_zh" columns become one localized name.
void localize_csv_names(nlohmann::json& rows);

// The roster with the rows added or replaced by id.
roster merge_roster(const roster& current, const std::vector<team>& teams, const std::vector<participant>& participants);

// An admin upload (JSON array or CSV with a header row), validated whole. Participants
// already in the roster keep their disqualification: imports do not reinstate anyone.
struct roster_import {
    std::vector<team> teams;
    std::vector<participant> participants;
    std::vector<std::string> errors;  // "line 4.teams[0]: unknown team \"mars\""
};
roster_import parse_team_import(const roster& current, std::string_view content_type, std::string_view body);
roster_import parse_participant_import(const roster& current, std::string_view content_type, std::string_view body);

// Rows as they are kept in Redis (the run-time part of the roster).
nlohmann::json team_to_json(const team& t);
nlohmann::json participant_to_json(const participant& p);

}  // namespace lb::engine
