#pragma once
// A community member's chapter moves, as they reach a contest's team boards: the contest credits
// the teams its roster gives a participant until the member moves, then the team named like the
// new chapter, from the move on. Pure: the roster store reads the members who moved.
#include <vector>

#include "contest.hpp"
#include "seasons.hpp"

namespace lb::engine {

// The contest's team of this kind whose id, English or Chinese name is the chapter (ASCII letters
// in any case); null when none is.
const team* team_named(const std::vector<team>& teams, team_kind kind, std::string_view chapter);

// Every membership of a kind after that kind's first is a move, oldest first: to the team of that
// kind named like its chapter, or to none of the contest's teams ("") when no team is.
std::vector<team_move> team_moves(const std::vector<team>& teams, const std::vector<membership>& memberships);

// The member's participant in a roster: the one whose `person` is their community id, else the one
// with one of their logins unless that one names another person; null when neither.
const participant* participant_of_person(const roster& r, const std::string& community_id, const host_logins& logins);

}  // namespace lb::engine
