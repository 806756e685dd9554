#pragma once
// A season's board, read from its contests' participant boards (the public, frozen ones for the
// public view), the community's people and, for people who moved between chapters of the board's
// kind, their dated awards from the ledgers (engine/core/seasons.hpp ranks them).
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "redis_types.hpp"

namespace lb::engine {

struct season_page_query {
    std::string board = "people";  // or "chapters:<kind>"
    long long offset = 0;
    long long limit = 100;
    bool public_view = true;  // false for admins: live boards during a freeze
};

// The answer: {season, board, generated_at, contests, total, offset, rows} with rows {rank, id, name,
// points, contests (people: weighted points per contest), members (chapters: how many counted)}.
// People are those the roster names by community id or whose login a member owns.
void read_season(redis_executor& redis, const config& cfg, const season& s, const season_page_query& query, unix_seconds now,
                 std::function<void(std::optional<nlohmann::json>, std::string error)> done);

// Rows of a season board as CSV: rank,id,name,points.
std::string season_csv(const nlohmann::json& board);

}  // namespace lb::engine
