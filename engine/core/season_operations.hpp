#pragma once
// A season's operations figures: the contest figures (engine/core/operations.hpp) over all of the
// season's contests at once, counting people instead of roster entries, so someone who took part in
// three contests is registered once, and a New Contributor is whoever first merged ever inside the
// season. Chapters are the community's: a person counts with the chapter of the kind they belong
// to at the season's end (now, while it runs), each merge with the chapter in force when it was
// merged. Participants who are not members count in a row of their own. Pure; the store reads the
// facts (engine/store/season_operations_read.hpp).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "operations.hpp"
#include "seasons.hpp"

namespace lb::engine {

// One roster entry of one of the season's contests, and the member it is ("" for none).
struct season_entry {
    const contest* c = nullptr;
    const participant* p = nullptr;
    std::string member;
    bool other_award = false;  // points on one of the contest's reproduction or judged boards
};

// Someone the figures count: a member (key: the community id), or a participant who is not one
// (key: their first login key, so the same login in two contests is one person; without logins,
// "participant:<id>", the organizers' rosters giving one person one id).
struct season_person {
    std::string key;
    bool member = false;
    std::vector<membership> memberships;
    std::vector<std::string> logins;  // login keys of all their entries
    std::optional<unix_seconds> registered_at;
    bool other_award = false;
};

// The people behind the entries, members' stored facts (community id -> memberships and when they
// signed up, moved into the people) giving theirs.
std::vector<season_person> season_people(const std::vector<season_entry>& entries, member_facts_by_id members);

struct season_operations_input {
    std::string season;
    unix_seconds starts_at = 0, ends_at = 0;  // the earliest start and the latest end of its contests
    team_kind kind = team_kind::city;
    unix_seconds now = 0;
    std::vector<merge_fact> merges;  // each inside a contest's window, in that contest's repositories, once
    std::vector<season_person> people;
    std::unordered_map<std::string, login_history> histories;  // retention counted after the season's end
};

// The stretches of time the contests cover: their windows joined where they overlap or touch, in order.
std::vector<std::pair<unix_seconds, unix_seconds>> covered_spans(const std::vector<const contest*>& contests);

// The season's merges per chapter of in.kind, each with the chapter of its day (the histories are
// not needed yet).
merge_counts count_season_merges(const season_operations_input& in);

// The logins the figures ask histories for: every person's and every unregistered author's, once
// each, in no particular order.
std::vector<std::string> season_logins_to_read(const std::vector<season_person>& people, const merge_counts& counts);

// The figures, from the counts of in's merges and the histories.
nlohmann::json season_operations(const season_operations_input& in, merge_counts counts);
nlohmann::json season_operations(const season_operations_input& in);  // counts in's merges first

}  // namespace lb::engine
