#pragma once
// Rebuilds every board of a contest from its award ledger, under the contest's
// current rules and registrations. Blocking: for the CLI and admin tooling.
#include <stdexcept>
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
    std::size_t caught_up = 0;  // awards applied while it ran, replayed into the rebuild
    std::vector<board_change> changes;  // ordered by board, then member
    double read_seconds = 0, derive_seconds = 0, compare_seconds = 0, write_seconds = 0;
    double held_seconds = 0;  // how long awards waited (receivers spooled them) while the rebuild was swapped in
};

// A recompute of the contest is running already.
struct recompute_busy : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// With dry_run nothing is written. Otherwise, while live awards keep arriving: the boards,
// contributor sets and indexes are rebuilt under keys of their own; then awards to the contest
// are held (the award script answers "held", receivers spool) while the awards applied since
// the ledger was read are replayed into the rebuild, changed ledger records are written, and
// the rebuild replaces the live keys, the boards in one step with a marker on the award log.
// One at a time per contest: a second throws recompute_busy.
recompute_report recompute(sync_redis& redis, const contest& c, bool dry_run);

}  // namespace lb::engine
