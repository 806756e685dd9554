#pragma once
// The scoring core: plain facts in, points out. No I/O, no clock.
#include <optional>
#include <string>
#include <vector>

#include "contest.hpp"

namespace lb::engine {

// Lower-cases ASCII and treats '-', '_' and ' ' alike, so "Level-1" == "level 1".
std::string normalize_label(std::string_view label);

// One pull request as both hosts describe it, after normalizing (webhooks/ fills it).
struct pull_request_facts {
    std::string host;       // a host id of the table (hosts.hpp)
    std::string repo;       // base repository "owner/name"
    long long number = 0;
    std::string url;
    std::string title;
    std::string author;     // login on that host
    std::vector<std::string> labels;
    bool merged = false;
    std::optional<unix_seconds> merged_at;
    unix_seconds updated_at = 0;  // orders states of one PR: an older one never overwrites a newer

    std::string subject() const;  // "github:owner/repo#123"
};

struct pr_score {
    centi points = 0;
    std::string reason;  // why it is worth what it is worth, for the explain views
};

// Points of a PR under the rules alone: base + label part, excluded/required labels, cap.
pr_score score_labels(const pull_request_rules& rules, const std::vector<std::string>& labels);

// Whether the PR belongs to this contest at all (repository); a PR for another repo is ignored.
bool pr_in_contest(const contest& c, const pull_request_facts& pr);

// Full PR scoring: merged, merged inside the window, then score_labels.
// Registration is not checked here: an unregistered author's PR keeps its points, unattributed.
pr_score score_pull_request(const contest& c, const pull_request_facts& pr);

}  // namespace lb::engine
