#pragma once
// The code hosts the engine receives merges from, as data: everything that differs between them
// and is not the shape of their webhook bodies lives in this table. A new host is a row here, a
// receiver (webhooks/) and its tests.
#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lb::engine {

// Which normalizer reads a host's webhook bodies (webhooks/payloads.cpp, merge_request_payload.cpp).
enum class body_shape { github, gitee, merge_request };
// Which REST API the host speaks (reconcile's lists, tokens): GitHub's, Gitee's v5 (GitCode and
// AtomGit speak it too), GitLab's v4.
enum class api_shape { github, gitee_v5, gitlab_v4 };

struct host_info {
    std::string_view id;             // "github": config keys, login keys, repository prefixes, routes
    std::string_view display_name;   // "GitHub"
    std::string_view web_url;        // "https://github.com"
    std::string_view pr_segment;     // between repository and number in a PR's URL: "pull", "merge_requests"
    std::string_view login_pattern;  // a login's shape (ECMAScript regex)
    std::string_view login_rule;     // the same in words, for errors
    std::size_t login_max = 39;
    bool case_insensitive = true;    // logins compare in ASCII lower case
    body_shape shape = body_shape::github;
    std::string_view api_url;        // the public REST API (reconcile, imports, author lookups)
    bool nested_paths = false;       // repositories may sit in subgroups: group/sub/project
    std::array<std::string_view, 2> auth_modes;  // how its hooks prove themselves, the default first ("" when one)
    api_shape api = api_shape::github;
};

std::span<const host_info> all_hosts();
const host_info* find_host(std::string_view id);
// "github, gitee, gitcode, atomgit or gitlab", for errors.
std::string host_list(std::string_view last_word = "or");

// A person's or participant's logins: host id -> login as given (no empty values).
using host_logins = std::map<std::string, std::string, std::less<>>;
// The login on a host, or "".
const std::string& login_on(const host_logins& logins, std::string_view host);

// The key a login is unique under: "github:octocat" (lower case where the host ignores case).
std::string login_key(std::string_view host, std::string_view login);

// Whether text is a login of the host's shape.
bool valid_login(const host_info& host, std::string_view login);

// A repository as contests list it: "<host>:<owner>/<name>" (GitLab: "gitlab:group/sub/project"),
// returned lower-cased; nullopt when the host is unknown or the path is not of its shape.
std::optional<std::string> parse_repo_ref(std::string_view text);

}  // namespace lb::engine
