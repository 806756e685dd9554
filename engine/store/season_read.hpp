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

// board: "people" or "chapters:<kind>". The answer: {season, board, generated_at, total, rows}
// with rows {rank, id, name (people), points, contests (people: weighted points per contest), members (chapters)}.
void read_season(redis_executor& redis, const config& cfg, const season& s, const std::string& board, bool public_view,
                 unix_seconds now, std::function<void(std::optional<nlohmann::json>, std::string error)> done);

// Rows of a season board as CSV: rank,id,name,points.
std::string season_csv(const nlohmann::json& board);

}  // namespace lb::engine
