#pragma once
// Rebuilds every board of a contest from its award ledger, under the contest's
// current rules and registrations. Blocking: for the CLI and admin tooling.
#include <string>
#include <vector>

#include "contest.hpp"
#include "sync_redis.hpp"

namespace lb::engine {

struct board_change {
    std::string board;
    std::string member;
    std::string before;  // score as stored ("" when absent)
    std::string after;
};

struct recompute_report {
    std::size_t awards = 0;
    std::size_t rederived = 0;  // ledger records whose contributions changed
    std::vector<board_change> changes;  // ordered by board, then member
    double read_seconds = 0, derive_seconds = 0, compare_seconds = 0, write_seconds = 0;
};

// With dry_run nothing is written. Awards applied while a recompute runs may be
// overwritten: pause the receivers first (see docs/operations.md).
recompute_report recompute(sync_redis& redis, const contest& c, bool dry_run);

}  // namespace lb::engine
