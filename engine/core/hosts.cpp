#include "hosts.hpp"

#include <regex>
#include <vector>

namespace lb::engine {

namespace {

// GitCode and AtomGit run GitCode's platform (Gitee-like logins, GitLab-shaped hooks); GitLab's
// path segments may nest.
constexpr host_info hosts[] = {
    {"github", "GitHub", "https://github.com", "pull", R"([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})",
     "letters, digits and single hyphens, at most 39", 39, true, body_shape::github, "https://api.github.com", false, {"signature", ""}, api_shape::github},
    {"gitee", "Gitee", "https://gitee.com", "pulls", R"([A-Za-z0-9][A-Za-z0-9_.-]{1,39})",
     "letters, digits, '_', '-' and '.', 2 to 40", 40, true, body_shape::gitee, "https://gitee.com/api/v5", false, {"signature", "password"}, api_shape::gitee_v5},
    {"gitcode", "GitCode", "https://gitcode.com", "merge_requests", R"([A-Za-z0-9_][A-Za-z0-9_.-]{0,39})",
     "letters, digits, '_', '-' and '.', at most 40", 40, true, body_shape::merge_request, "https://api.gitcode.com/api/v5", false, {"password", "signature"}, api_shape::gitee_v5},
    {"atomgit", "AtomGit", "https://atomgit.com", "merge_requests", R"([A-Za-z0-9_][A-Za-z0-9_.-]{0,39})",
     "letters, digits, '_', '-' and '.', at most 40", 40, true, body_shape::merge_request, "https://api.atomgit.com/api/v5", false, {"password", "basic"}, api_shape::gitee_v5},
    {"gitlab", "GitLab", "https://gitlab.com", "-/merge_requests", R"([A-Za-z0-9_][A-Za-z0-9_.-]{0,254})",
     "letters, digits, '_', '-' and '.', at most 255", 255, true, body_shape::merge_request, "https://gitlab.com/api/v4", true, {"token", ""}, api_shape::gitlab_v4},
};

const std::regex& pattern_of(const host_info& host) {
    static const std::vector<std::regex> compiled = [] {
        std::vector<std::regex> out;
        for (const auto& h : hosts) out.emplace_back(std::string(h.login_pattern));
        return out;
    }();
    return compiled[static_cast<std::size_t>(&host - hosts)];
}

bool path_segment(std::string_view s) {
    // "-" stands between a GitLab project and its pages ("-/merge_requests"): never a path's part.
    if (s.empty() || s.size() > 100 || s == "." || s == ".." || s == "-") return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
            return false;
    return true;
}

}  // namespace

std::span<const host_info> all_hosts() { return hosts; }

const host_info* find_host(std::string_view id) {
    for (const auto& h : hosts)
        if (h.id == id) return &h;
    return nullptr;
}

std::string host_list(std::string_view last_word) {
    std::string out;
    std::size_t n = std::size(hosts);
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) out += i + 1 == n ? " " + std::string(last_word) + " " : ", ";
        out += hosts[i].id;
    }
    return out;
}

const std::string& login_on(const host_logins& logins, std::string_view host) {
    static const std::string none;
    auto it = logins.find(host);
    return it == logins.end() ? none : it->second;
}

std::string login_key(std::string_view host, std::string_view login) {
    const host_info* h = find_host(host);
    std::string key;
    key.reserve(host.size() + 1 + login.size());
    key += host;
    key += ':';
    bool fold = !h || h->case_insensitive;
    for (char c : login) key += fold && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    return key;
}

bool valid_login(const host_info& host, std::string_view login) {
    return !login.empty() && login.size() <= host.login_max && std::regex_match(login.begin(), login.end(), pattern_of(host));
}

std::optional<std::string> parse_repo_ref(std::string_view text) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const host_info* host = find_host(text.substr(0, colon));
    if (!host) return std::nullopt;
    auto path = text.substr(colon + 1);
    std::size_t segments = 0;
    for (std::size_t at = 0; at <= path.size();) {
        auto slash = path.find('/', at);
        if (slash == std::string_view::npos) slash = path.size();
        if (!path_segment(path.substr(at, slash - at))) return std::nullopt;
        ++segments;
        at = slash + 1;
    }
    if (segments < 2 || (segments > 2 && !host->nested_paths) || segments > 20) return std::nullopt;
    std::string out(text);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace lb::engine
