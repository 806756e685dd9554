#pragma once
// Where a vote's entries and ballots are kept, and how its tally becomes awards: the ballots'
// version rises with every cast and void; a tally applies one award per entry, versioned by the
// ballots' version it counted, and records that version as tallied, so a later void re-tallies.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "contest.hpp"
#include "redis_types.hpp"
#include "votes.hpp"

namespace lb::engine {

struct vote_state {
    std::vector<vote_entry> entries;
    std::vector<ballot> ballots;
    long long version = 0;   // 0: no ballot cast yet
    long long tallied = -1;  // the version last applied as awards; -1: never
};

redis_command keep_vote_entry_command(const contest& c, const component_rule& rule, const vote_entry& e);
// Replies "ok", or "voided" (an organizer voided this voter's ballot: it stays void).
redis_command cast_ballot_command(const contest& c, const component_rule& rule, const ballot& b);
// Replies "ok", "missing" or "voided" (already).
redis_command void_ballot_command(const contest& c, const component_rule& rule, const std::string& voter, const std::string& reason,
                                  const std::string& actor, const std::string& audit_entry);

void read_vote(redis_executor& redis, const contest& c, const component_rule& rule,
               std::function<void(std::optional<vote_state>, std::string error)> done);

// What a public view needs while tallies are hidden: the entries, how many ballots count, and the
// visitor's own ballot ("" for nobody's), without reading every ballot.
struct vote_summary {
    std::vector<vote_entry> entries;
    long long counted = 0;
    std::optional<ballot> own;
};
void read_vote_summary(redis_executor& redis, const contest& c, const component_rule& rule, const std::string& voter,
                       std::function<void(std::optional<vote_summary>, std::string error)> done);

// Applies the tally when the ballots changed since the last one; done gets how many awards moved.
void tally_vote(redis_executor& redis, const contest& c, const component_rule& rule, unix_seconds now,
                std::function<void(int moved, std::string error)> done);

// Tallies every vote of the contest whose tallies may be shown, one after another: finalize calls it
// first, so a vote closed a moment before counts in the final standings. done gets the first error.
void tally_every_vote(redis_executor& redis, const contest& c, unix_seconds now, std::function<void(std::string error)> done);

}  // namespace lb::engine
