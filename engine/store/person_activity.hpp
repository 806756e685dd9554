#pragma once
// What a member of the community did across the contests: each contest they took part in
// (the roster names their community id, or else one of their logins is a participant's), its
// points, merged pull requests and awards, read from the contest's ledger, and the level
// these reach on the community's ladder. Read by the public profile and the level watch.
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "levels.hpp"
#include "redis_types.hpp"

namespace lb::engine {

struct person_activity {
    nlohmann::json contests = nlohmann::json::array();  // {id, title, participant, points, merged_prs, awards, ...}
    activity_totals totals;                             // disqualified participations do not count
    std::size_t level = 0;                              // index into the config's ladder
};

// The participant of the contest who is this person (null when none).
const participant* participant_for(const contest& c, const std::string& community_id, const host_logins& logins);

// person is the stored record (its logins are read from it). Awards after a public freeze are
// left out while it lasts (public_view), as the boards leave them out.
void read_person_activity(redis_executor& redis, const config& cfg, const std::string& community_id, const nlohmann::json& person,
                          bool public_view, std::function<void(std::optional<person_activity>, std::string error)> done);

}  // namespace lb::engine
