#pragma once
// The run-time part of a contest's roster lives in Redis (imports, disqualifications),
// so every receiver and gateway process sees the same teams and participants.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "contest.hpp"
#include "redis_types.hpp"

namespace lb::engine {

// Stores the rows (replacing rows with the same id), bumps the roster revision and
// appends the audit entry, in one atomic step.
redis_command roster_write_command(const contest& c, const std::vector<team>& teams,
                                   const std::vector<participant>& participants, const std::string& audit_entry);

// The roster revision: changes whenever roster_write_command ran.
redis_command roster_revision_command(const contest& c);

// The community's count of chapter moves: changes whenever a member moved (a roster read again
// gives the movers' participants their moves).
redis_command moves_revision_command();

// Reads the stored rows and builds the configured roster overlaid by them, each member who
// moved chapters given their moves (engine/core/team_moves.hpp).
using roster_handler = std::function<void(std::optional<roster>, std::string revision, std::string error)>;
void load_roster(redis_executor& redis, const contest& c, roster_handler done);

}  // namespace lb::engine
