#pragma once
// The community's people and sign-ups in Redis, all under the "{community}" hash tag (one
// Cluster slot): logins (login key -> community id, or "request:<id>" while one waits),
// requests, the queue of waiting ones, people, the two counters and an audit stream.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "community.hpp"
#include "contest.hpp"
#include "redis_types.hpp"
#include "rfc3339.hpp"
#include "seasons.hpp"

namespace lb::engine {

namespace keys {
inline std::string community(std::string_view part) { return "lb:{community}:" + std::string(part); }
}  // namespace keys

struct sign_up_result {
    enum class outcome { queued, duplicate, full, client_full, failed } kind = outcome::failed;
    std::string request_id;
    std::vector<std::string> set_aside;  // unproven requests this proven one displaced
    std::string login;   // for duplicate: the login key that is taken ("github:octocat")
    bool held_by_request = false;  // it waits for approval (else it belongs to a person)
    std::string error;
};

// How many sign-ups may wait: in all, and from one client (its address; "" counts nobody).
struct sign_up_limits {
    int queue = 10000;
    int per_client = 5;
    std::string client;
};
// The host accounts the signer proved by signing in: host id -> the host's id of the account.
using proven_accounts = std::map<std::string, std::string, std::less<>>;

redis_command sign_up_command(const sign_up& s, unix_seconds now, const sign_up_limits& limits, const proven_accounts& proven = {});
sign_up_result read_sign_up_reply(const redis_value& reply);

struct decision_result {
    enum class outcome { approved, rejected, unknown, decided, failed } kind = outcome::failed;
    std::string community_id;
    std::string state;  // for decided: the state it already has
    std::string error;
};

redis_command decide_sign_up_command(const community_settings& settings, const std::string& request_id, bool approve,
                                     unix_seconds now, const std::string& actor, const std::string& reason);
decision_result read_decision_reply(const redis_value& reply);

struct move_result {
    enum class outcome { moved, unchanged, unknown, too_early, failed } kind = outcome::failed;
    std::string record;  // the person as stored after the move
    std::string current_since;  // for too_early: when the membership in force began (unix seconds)
    std::string error;
};

redis_command move_chapter_command(const std::string& community_id, const chapter_move& move, unix_seconds since, unix_seconds now,
                                   const std::string& actor);
move_result read_move_reply(const redis_value& reply);

// Every request ever made (waiting and decided), for the organizers' list.
redis_command all_sign_ups_command();
redis_command person_command(const std::string& community_id);

// Who each participant is in the community: the roster's community id, else the member who owns
// one of their logins (GitHub's first), "" for nobody yet. The logins are read in batches, so a
// roster of 100,000 costs a few commands; the handler may run before this returns.
void resolve_members(redis_executor& redis, const std::vector<const participant*>& participants,
                     std::function<void(std::vector<std::string> members, std::string error)> done);

// The stored people of these community ids (ids with no record, or one that is not JSON, are left
// out), in batches.
void read_people_records(redis_executor& redis, std::vector<std::string> ids,
                         std::function<void(std::map<std::string, nlohmann::json> records, std::string error)> done);
// The same people's memberships and sign-up times only (engine/core/seasons.hpp: read_member_facts).
void read_people_facts(redis_executor& redis, std::vector<std::string> ids,
                       std::function<void(member_facts_by_id facts, std::string error)> done);

// Keeps the level reached when it is higher than the one held; the reply is the one held
// before (-1 for none) when it rose, nil when it did not.
redis_command raise_level_command(const std::string& community_id, std::size_t level);

}  // namespace lb::engine
