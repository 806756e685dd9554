#pragma once
// Boards written under another tie encoding (before 2026-12-02: 2^24 time slots) hold other
// totals under today's decoding. Each contest's boards carry the label of the encoding they are
// in; a contest with awards whose label is another is rebuilt from its ledger once (a
// recompute), by whichever process gets there first, and its awards wait (the award script
// answers "held", receivers spool) until the label is today's.
#include <cstddef>

#include "contest.hpp"
#include "sync_redis.hpp"

namespace lb::engine {

struct encoding_check {
    bool rebuilt = false;
    std::size_t awards = 0;  // rebuilt from this many ledger records
};

// Blocking. Throws recompute_busy when another process is rebuilding the contest now (ask again
// later) and std::runtime_error when Redis fails.
encoding_check bring_boards_to_current_encoding(sync_redis& redis, const contest& c);

}  // namespace lb::engine
