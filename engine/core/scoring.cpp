#include "scoring.hpp"

#include <algorithm>
#include <set>

namespace lb::engine {

std::string normalize_label(std::string_view label) {
    std::string out = to_lower_ascii(label);
    for (auto& c : out)
        if (c == '_' || c == ' ') c = '-';
    return out;
}

std::string pull_request_facts::subject() const {
    return host + ":" + to_lower_ascii(repo) + "#" + std::to_string(number);
}

pr_score score_labels(const pull_request_rules& rules, const std::vector<std::string>& labels) {
    std::set<std::string> normalized;
    for (const auto& label : labels) normalized.insert(normalize_label(label));
    for (const auto& label : normalized)
        if (rules.exclude_labels.count(label)) return {0, "excluded label " + label};
    if (!rules.require_labels.empty() &&
        std::none_of(normalized.begin(), normalized.end(), [&](const auto& l) { return rules.require_labels.count(l) > 0; }))
        return {0, "missing a required label"};
    centi label_part = 0;
    std::string matched;
    for (const auto& label : normalized) {
        auto it = rules.label_points.find(label);
        if (it == rules.label_points.end()) continue;
        if (rules.mode == label_mode::sum) {
            label_part += it->second;
            matched += (matched.empty() ? "" : "+") + label;
        } else if (matched.empty() || it->second > label_part) {
            label_part = it->second;
            matched = label;
        }
    }
    pr_score score{rules.base_points + label_part, "base " + format_centi(rules.base_points)};
    if (!matched.empty()) score.reason += " + " + matched + " " + format_centi(label_part);
    if (rules.max_points_per_pr && score.points > *rules.max_points_per_pr) {
        score.points = *rules.max_points_per_pr;
        score.reason += ", capped at " + format_centi(score.points);
    }
    return score;
}

bool pr_in_contest(const contest& c, const pull_request_facts& pr) {
    return c.pull_requests.enabled && c.has_repo(pr.host, pr.repo);
}

pr_score score_pull_request(const contest& c, const pull_request_facts& pr) {
    if (!pr_in_contest(c, pr)) return {0, "repository is not part of the contest"};
    if (!pr.merged || !pr.merged_at) return {0, "not merged"};
    if (*pr.merged_at < c.starts_at || *pr.merged_at >= c.ends_at) return {0, "merged outside the contest window"};
    return score_labels(c.pull_requests, pr.labels);
}

}  // namespace lb::engine
