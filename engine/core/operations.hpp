#pragma once
// The organizers' operations figures for one contest, after CHAOSS' metrics: registered and
// active participants, New Contributors (first merged PR ever in the community's repositories
// inside the window), their retention 30 and 90 days after the end, the conversion funnel
// (registered -> merged in the contest -> merged again), the time from registering in the
// community to a first merge, and merges per day, each per chapter of one kind. Pure: the
// store reads the merges and histories (engine/store/operations_read.hpp); docs/design.md
// ("Operations figures") has the definitions.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "operations_report.hpp"

namespace lb::engine {

struct operations_input {
    const contest* c = nullptr;
    team_kind kind = team_kind::city;
    unix_seconds now = 0;
    std::vector<merge_fact> merges;                      // merged in [starts_at, ends_at), any community repository
    std::unordered_map<std::string, login_history> histories;  // by login key: every merge author and participant login
    std::set<std::string> other_awards;                  // participants with points on a reproduction or judged board
    std::map<std::string, unix_seconds> registered_at;   // participant id -> when the person signed up in the community
};

// The window's merges in the contest's repositories, per chapter of in.kind (merges, histories and
// the rest of the input are not needed yet).
merge_counts count_contest_merges(const operations_input& in);

// The logins the figures ask histories for: each participant's and each unregistered author's,
// once each, in no particular order.
std::vector<std::string> logins_to_read(const contest& c, const merge_counts& counts);

// The contest's host and repository of a subject ("github", "owner/repo"); false when it is not a PR's.
bool pull_request_repo(const std::string& subject, std::string& host, std::string& repo);

// The figures, from the counts of in's merges and the histories.
nlohmann::json contest_operations(const operations_input& in, merge_counts counts);
nlohmann::json contest_operations(const operations_input& in);  // counts in's merges first

}  // namespace lb::engine
