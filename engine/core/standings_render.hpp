#pragma once
// Standings as the exports and frames show them: rows, pages, and their JSON and CSV
// renderings; award-log records as events. Pure: store/standings.hpp reads them from Redis.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contest.hpp"

namespace lb::engine {

struct standings_row {
    long long rank = 0;  // 1-based, strict: ties are already broken
    std::string id;
    centi points = 0;
    unix_seconds reached_at = 0;
};

struct standings_page {
    std::string board;
    unix_seconds generated_at = 0;
    bool frozen = false;
    long long total = 0;
    std::vector<standings_row> rows;
};

nlohmann::json standings_row_to_json(const contest& c, const std::string& board, const standings_row& row);
// The export body; rows as standings_row_to_json renders them, written directly (a full
// 100,000-row export would otherwise spend most of its time building a JSON tree).
std::string standings_to_json(const contest& c, const standings_page& page);
std::string standings_to_csv(const contest& c, const standings_page& page);

// A participant's team per kind: {"city": "shanghai", ...}.
nlohmann::json participant_teams(const contest& c, const participant& p);

// Whether text is a stream id we accept for "after": "<ms>-<seq>" or "<ms>".
bool valid_stream_id(std::string_view text);

nlohmann::json event_to_json(const std::string& id, const std::string& record_json, const std::string& previous_points);

}  // namespace lb::engine
