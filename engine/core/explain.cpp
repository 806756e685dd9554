#include "explain.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "award.hpp"
#include "rfc3339.hpp"

namespace lb::engine {

using nlohmann::json;

namespace {

json check(std::string_view name, bool passed, std::string detail) {
    return {{"check", name}, {"passed", passed}, {"detail", std::move(detail)}};
}

std::string joined(const std::set<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out.empty() ? "(none)" : out;
}

}  // namespace

json explain_pull_request(const contest& c, const pull_request_facts& pr) {
    const auto& rules = c.pull_requests;
    json checks = json::array();
    bool in_repo = pr_in_contest(c, pr);
    checks.push_back(check("repository", in_repo,
                           in_repo ? pr.host + ":" + pr.repo + " is one of the contest's repositories"
                                   : pr.host + ":" + pr.repo + (rules.enabled ? " is not one of the contest's repositories"
                                                                              : ": this contest does not score pull requests")));
    bool merged = pr.merged && pr.merged_at.has_value();
    checks.push_back(check("merged", merged, merged ? "merged at " + format_rfc3339(*pr.merged_at) : "not merged"));
    bool in_window = merged && *pr.merged_at >= c.starts_at && *pr.merged_at < c.ends_at;
    checks.push_back(check("window", in_window,
                           "the contest runs from " + format_rfc3339(c.starts_at) + " to " + format_rfc3339(c.ends_at) +
                               (merged ? (in_window ? "; merged inside" : "; merged outside") : "")));
    std::set<std::string> normalized;
    for (const auto& label : pr.labels) normalized.insert(normalize_label(label));
    std::set<std::string> excluded;
    for (const auto& label : normalized)
        if (rules.exclude_labels.count(label)) excluded.insert(label);
    checks.push_back(check("excluded_labels", excluded.empty(),
                           excluded.empty() ? "none of " + joined(rules.exclude_labels) : "excluded: " + joined(excluded)));
    bool has_required = rules.require_labels.empty() ||
                        std::any_of(normalized.begin(), normalized.end(), [&](const auto& l) { return rules.require_labels.count(l) > 0; });
    checks.push_back(check("required_labels", has_required,
                           rules.require_labels.empty() ? "no label is required" : "needs one of " + joined(rules.require_labels)));
    auto labels = score_labels(rules, pr.labels);
    checks.push_back(check("label_points", true, labels.reason));
    if (rules.max_points_per_pr)
        checks.push_back(check("cap", true, "at most " + format_centi(*rules.max_points_per_pr) + " per pull request"));
    const participant* author = c.find_by_login(pr.host, pr.author);
    checks.push_back(check("registration", author != nullptr,
                           author ? pr.host + " login " + pr.author + " is participant " + author->id
                                  : pr.host + " login " + pr.author + " is not registered: the points are kept, unattributed, until it is"));
    auto scored = score_pull_request(c, pr);
    json labels_json = json::array();
    for (const auto& label : normalized) labels_json.push_back(label);
    return {{"subject", pr.subject()}, {"points", points_json(scored.points)}, {"reason", scored.reason}, {"checks", checks},
            {"labels_normalized", labels_json}, {"registered_as", author ? json(author->id) : json(nullptr)}};
}

std::optional<std::string> subject_from_pr_url(std::string_view url) {
    const host_info* host = nullptr;
    std::string_view rest;
    for (const auto& h : all_hosts())
        if (url.starts_with(h.web_url) && url.substr(h.web_url.size()).starts_with("/")) host = &h, rest = url.substr(h.web_url.size() + 1);
    if (!host) return std::nullopt;
    // <repository path>/<PR segment>/<number>, perhaps followed by /files, #anchor or ?query
    std::vector<std::string_view> parts;
    while (!rest.empty() && parts.size() < 24) {
        auto slash = rest.find_first_of("/#?");
        parts.push_back(rest.substr(0, slash));
        if (slash == std::string_view::npos || rest[slash] != '/') break;
        rest.remove_prefix(slash + 1);
    }
    // GitCode's and AtomGit's pages have named merge requests both ways, GitLab's sit under "-/".
    std::vector<std::string_view> segments{host->pr_segment};
    if (host->shape == body_shape::merge_request) segments = {"merge_requests", "pull", "pulls"};
    for (std::size_t at = 2; at + 1 < parts.size(); ++at) {
        if (std::find(segments.begin(), segments.end(), parts[at]) == segments.end()) continue;
        std::size_t repo_end = at > 2 && parts[at - 1] == "-" ? at - 1 : at;
        std::string repo;
        for (std::size_t k = 0; k < repo_end; ++k) repo += (k ? "/" : "") + std::string(parts[k]);
        auto ref = parse_repo_ref(std::string(host->id) + ":" + repo);
        long long number = 0;
        auto [end, ec] = std::from_chars(parts[at + 1].data(), parts[at + 1].data() + parts[at + 1].size(), number);
        if (!ref || ec != std::errc{} || end != parts[at + 1].data() + parts[at + 1].size() || number <= 0) continue;
        return *ref + "#" + std::to_string(number);
    }
    return std::nullopt;
}

}  // namespace lb::engine
