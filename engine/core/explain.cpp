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
    std::string host;
    std::string_view rest;
    for (auto [prefix, name] : {std::pair{"https://github.com/", "github"}, std::pair{"https://gitee.com/", "gitee"}})
        if (url.starts_with(prefix)) host = name, rest = url.substr(std::string_view(prefix).size());
    if (host.empty()) return std::nullopt;
    // owner/repo/pull(s)/number, perhaps followed by /files, #anchor or ?query
    std::vector<std::string_view> parts;
    while (!rest.empty() && parts.size() < 4) {
        auto slash = rest.find_first_of("/#?");
        parts.push_back(rest.substr(0, slash));
        if (slash == std::string_view::npos || rest[slash] != '/') break;
        rest.remove_prefix(slash + 1);
    }
    if (parts.size() < 4 || parts[0].empty() || parts[1].empty()) return std::nullopt;
    if (parts[2] != (host == "github" ? "pull" : "pulls")) return std::nullopt;
    long long number = 0;
    auto [end, ec] = std::from_chars(parts[3].data(), parts[3].data() + parts[3].size(), number);
    if (ec != std::errc{} || end != parts[3].data() + parts[3].size() || number <= 0) return std::nullopt;
    for (auto part : {parts[0], parts[1]})
        for (char ch : part)
            if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.') return std::nullopt;
    return host + ":" + to_lower_ascii(std::string(parts[0]) + "/" + std::string(parts[1])) + "#" + std::to_string(number);
}

}  // namespace lb::engine
