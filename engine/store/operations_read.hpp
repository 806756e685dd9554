#pragma once
// Reads what a contest's operations figures need (engine/core/operations.hpp) from the
// community's merge records, the contest's ledger and the people: four steps, each in batches a
// command timeout allows (engine/store/batched_reads.hpp), so a year-long contest reads too.
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "operations_report.hpp"
#include "redis_types.hpp"

namespace lb::engine {

void read_operations(redis_executor& redis, const contest& c, team_kind kind, unix_seconds now,
                     std::function<void(std::optional<nlohmann::json> report, std::string error)> done);

// Shared with a season's read: who holds points on the contest's reproduction and judged boards
// (a ZRANGE of each).
std::vector<redis_command> other_board_reads(const contest& c);
// The logins' first merges (the ZMSCORE replies, in the logins'
// order) into histories; answers two ZCOUNTs for each login among the merges' authors (its merges
// in [end, end + 30 days) and [end, end + 90 days)), whose logins go to counted in that order.
std::vector<redis_command> take_first_merges(const std::vector<std::string>& logins, const std::vector<const redis_value*>& firsts,
                                             const std::vector<merge_fact>& merges, unix_seconds end, login_histories& histories,
                                             std::vector<std::string>& counted);
// The replies of those ZCOUNTs into histories.
void take_merges_after_end(const std::vector<redis_value>& counts, const std::vector<std::string>& counted, login_histories& histories);

}  // namespace lb::engine
