#pragma once
// Reads what a contest's operations figures need (engine/core/operations.hpp) from the
// community's merge records, the contest's ledger and the people: four steps, each in batches a
// command timeout allows (engine/store/batched_reads.hpp), so a year-long contest reads too.
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "redis_types.hpp"

namespace lb::engine {

void read_operations(redis_executor& redis, const contest& c, team_kind kind, unix_seconds now,
                     std::function<void(std::optional<nlohmann::json> report, std::string error)> done);

}  // namespace lb::engine
