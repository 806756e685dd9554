#pragma once
// Reads what a contest's operations figures need (engine/core/operations.hpp) from the
// community's merge records, the contest's ledger and the people: four steps, each in batches a
// command timeout allows (engine/store/batched_reads.hpp), so a year-long contest reads too.
#include <deque>
#include <functional>
#include <memory>
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
// The logins' first merges (the ZMSCORE replies, in the logins' order) into histories.
void take_first_merges(const std::vector<std::string>& logins, const std::vector<const redis_value*>& firsts, login_histories& histories);
// Which of the logins in histories merged again in [end, end + 30 days) and [end, end + 90 days),
// from those days' merges (kept as read_merges_between keeps them, until done).
void read_merges_after_end(redis_executor& redis, unix_seconds end, std::shared_ptr<std::deque<std::string>> kept, login_histories& histories,
                           std::function<void(std::string error)> done);

}  // namespace lb::engine
