#pragma once
// The pure part of a recompute: every ledger record re-derived under the contest's current
// rules and roster, and the board totals that follow (recompute.cpp writes and swaps them in).
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "award.hpp"
#include "contest.hpp"
#include "redis_types.hpp"
#include "sync_redis.hpp"

namespace lb::engine {

struct ledger_record {
    std::string subject;
    std::string text;
};

struct member_total {
    centi points = 0;
    unix_seconds latest = 0;
    bool any = false;                                                // has at least one nonzero contribution
    std::vector<std::pair<std::size_t, unix_seconds>> contributors;  // (record index, award time)
};
using member_totals = std::unordered_map<std::string, member_total>;

struct derived_ledger {
    std::map<std::string, member_totals> totals;               // board -> member -> total (members with points only)
    std::vector<std::pair<std::size_t, std::string>> changed;  // record index, its re-derived JSON
    std::unordered_map<std::string, std::vector<std::size_t>> pending, owned;  // login / participant -> records
    std::size_t rederived = 0;
};

// Throws std::runtime_error for an error reply.
redis_value checked(redis_value value);
std::vector<ledger_record> read_ledger(sync_redis& redis, const contest& c);
// On two threads; throws std::runtime_error for a record it cannot read.
derived_ledger derive_ledger(const contest& c, const std::vector<ledger_record>& records);
// What the boards hold now against what they would hold, row by row.
struct board_change;
std::vector<board_change> compare_with_boards(sync_redis& redis, const contest& c, const derived_ledger& derived);
// A member's board score, as the award script would have written it.
std::string score_text(const contest& c, const member_total& total);

}  // namespace lb::engine
