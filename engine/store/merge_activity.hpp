#pragma once
// Every merged pull request in the community's repositories (any contest's listed ones), kept
// as activity without points whether or not it falls in a contest's window: the operations
// figures (new contributors, retention) read it. All under the "{community}" hash tag:
// merges (subject -> merged at), merge_authors (subject -> login key), first_merges (login key
// -> earliest merge) and login_merges:<login key> (subject -> merged at).
#include <optional>
#include <string>

#include "redis_types.hpp"
#include "scoring.hpp"

namespace lb::engine {

namespace keys {
std::string merges();
std::string merge_authors();
std::string first_merges();
std::string login_merges(const std::string& login_key);
}  // namespace keys

// The script that records the PR as a merge (none when it is not merged).
std::optional<redis_command> record_merge_command(const pull_request_facts& pr);

}  // namespace lb::engine
