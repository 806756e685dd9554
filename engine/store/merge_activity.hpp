#pragma once
// Every merged pull request in the community's repositories (any contest's listed ones), kept
// as activity without points whether or not it falls in a contest's window: the operations
// figures (new contributors, retention) read it. All under the "{community}" hash tag:
// merges ("<subject> <login key>" -> merged at: a window's merges and their authors in one range),
// first_merges (a sorted set: login key -> earliest merge) and login_merges:<login key> (subject ->
// merged at), and merge_day:<day>, the day's merges as one string for reading windows
// (engine/store/merge_days.hpp), deleted here so that it is built again. Plain commands, no script:
// recording twice changes nothing (ZADD, and ZADD LT keeps the earliest), and they cost Redis less
// than a script call on every merged delivery.
#include <optional>
#include <string>
#include <vector>

#include "redis_types.hpp"
#include "scoring.hpp"

namespace lb::engine {

namespace keys {
std::string merges();
std::string first_merges();
std::string login_merges(const std::string& login_key);
}  // namespace keys

// The commands that record the PR as a merge (none when it is not merged).
std::vector<redis_command> record_merge_commands(const pull_request_facts& pr);

}  // namespace lb::engine
