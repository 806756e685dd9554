#pragma once
// Pure readers of the hosts' REST answers that reconcile asks for: pull request lists
// (GitHub and Gitee), a GitHub hook's deliveries, a repository's hooks, and the Link
// header's next page. Every answer is outside input: a bad item is reported by its
// index and field and the others are kept.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scoring.hpp"

namespace lb::webhooks {

struct pull_list {
    std::vector<engine::pull_request_facts> merged;  // the merged ones, as a webhook would have told them
    std::size_t listed = 0;                          // every item on the page, merged or not
    std::optional<engine::unix_seconds> oldest_update;  // of the items read: the lists come newest first
    std::vector<std::string> errors;                 // "[3].user.login: expected a string"
};

// GET /repos/{owner}/{repo}/pulls?state=closed (GitHub): merged when merged_at is a time.
// GET /repos/{owner}/{repo}/pulls?state=merged (Gitee v5, GitCode, AtomGit): the same fields
// (GitCode writes merged_at "" for a request that is not merged).
// GET /projects/{path}/merge_requests?state=merged (GitLab v4): iid, web_url, author.username,
// labels as strings.
// host is a host id of the table; repo the "owner/name" asked about.
std::variant<pull_list, std::string> read_pull_list(std::string_view host, std::string_view repo, std::string_view body);
std::variant<pull_list, std::string> read_merge_request_list(std::string_view host, std::string_view repo, std::string_view body);

struct hook_delivery {
    long long id = 0;
    std::string guid;  // the same for a delivery and its redeliveries
    engine::unix_seconds delivered_at = 0;
    int status_code = 0;  // what our receiver answered (0: no answer)
    std::string event;
    bool ok() const { return status_code >= 200 && status_code < 300; }
};
// GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries
std::variant<std::vector<hook_delivery>, std::string> read_hook_deliveries(std::string_view body);

struct repo_hook {
    long long id = 0;
    std::string url;  // config.url: where the host delivers
    bool active = false;
};
// GET /repos/{owner}/{repo}/hooks
std::variant<std::vector<repo_hook>, std::string> read_repo_hooks(std::string_view body);

// A user as a host's API answers for one (GET /user, GET /users/{id}): the login ("login" on
// GitHub, Gitee, GitCode and AtomGit, "username" on GitLab) and the host's id (an integer, or a
// string on GitCode), as text. Refused with the failing field when either is missing.
struct host_user {
    std::string login;
    std::string id;
};
std::variant<host_user, std::string> read_host_user(std::string_view body);

// The URL of rel="next" in a Link header (RFC 8288, as GitHub sends it); "" when there is none.
std::string next_link(std::string_view link_header);

// The deliveries to ask again for: per guid, the latest attempt, when no attempt got a 2xx.
std::vector<hook_delivery> deliveries_to_redeliver(const std::vector<hook_delivery>& deliveries, std::string_view event);

}  // namespace lb::webhooks
