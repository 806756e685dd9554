#pragma once
// Reads what a season's operations figures need (engine/core/season_operations.hpp): each
// contest's merges in its window and repositories, who holds points on its other boards, who its
// participants are in the community, their records, and every login's first merge and merges
// after the season's end; in pages and batches (engine/store/batched_reads.hpp).
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "redis_types.hpp"

namespace lb::engine {

void read_season_operations(redis_executor& redis, const config& cfg, const season& s, team_kind kind, unix_seconds now,
                            std::function<void(std::optional<nlohmann::json> report, std::string error)> done);

}  // namespace lb::engine
