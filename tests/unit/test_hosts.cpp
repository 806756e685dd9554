#include <doctest/doctest.h>

#include <set>

#include "explain.hpp"
#include "hosts.hpp"

using namespace lb::engine;

TEST_CASE("the host table: five hosts, each found by its id, nothing else") {
    std::set<std::string> ids;
    for (const auto& host : all_hosts()) {
        ids.insert(std::string(host.id));
        CHECK(find_host(host.id) == &host);
        CHECK(host.api_url.starts_with("https://"));
        CHECK_FALSE(host.auth_modes[0].empty());
    }
    CHECK(ids == std::set<std::string>{"github", "gitee", "gitcode", "atomgit", "gitlab"});
    CHECK(find_host("GitHub") == nullptr);
    CHECK(find_host("") == nullptr);
    CHECK(host_list() == "github, gitee, gitcode, atomgit or gitlab");
}

TEST_CASE("logins: each host's shape, one key per login") {
    CHECK(valid_login(*find_host("github"), "octo-cat"));
    CHECK_FALSE(valid_login(*find_host("github"), "octo_cat"));
    CHECK_FALSE(valid_login(*find_host("gitee"), "a"));
    CHECK(valid_login(*find_host("gitcode"), "a"));
    CHECK(valid_login(*find_host("gitlab"), "group.member_1"));
    CHECK_FALSE(valid_login(*find_host("gitlab"), std::string(256, 'a')));
    CHECK(login_key("gitcode", "OpenGauss_Dev") == "gitcode:opengauss_dev");
    host_logins logins{{"gitlab", "x"}};
    CHECK(login_on(logins, "gitlab") == "x");
    CHECK(login_on(logins, "github").empty());
}

TEST_CASE("repositories: host and path checked, GitLab's subgroups allowed, lower-cased") {
    CHECK(parse_repo_ref("gitcode:openGauss/openGauss-server") == "gitcode:opengauss/opengauss-server");
    CHECK(parse_repo_ref("gitlab:group/sub/project") == "gitlab:group/sub/project");
    CHECK_FALSE(parse_repo_ref("github:group/sub/project"));
    CHECK_FALSE(parse_repo_ref("gitlab:project"));
    CHECK_FALSE(parse_repo_ref("gitlab:a//b"));
    CHECK_FALSE(parse_repo_ref("gitlab:a/../b"));
    CHECK_FALSE(parse_repo_ref("bitbucket:a/b"));
    CHECK_FALSE(parse_repo_ref("github:a/b c"));
    CHECK_FALSE(parse_repo_ref("github"));
}

TEST_CASE("a PR's page on every host becomes its ledger subject") {
    CHECK(subject_from_pr_url("https://github.com/Org/Repo/pull/12/files") == "github:org/repo#12");
    CHECK(subject_from_pr_url("https://gitee.com/org/repo/pulls/3") == "gitee:org/repo#3");
    CHECK(subject_from_pr_url("https://gitcode.com/ibforuorg/test1/merge_requests/4") == "gitcode:ibforuorg/test1#4");
    CHECK(subject_from_pr_url("https://gitcode.com/openeuler/kernel/pull/9?tab=diff") == "gitcode:openeuler/kernel#9");
    CHECK(subject_from_pr_url("https://atomgit.com/openeuler/kernel/merge_requests/5") == "atomgit:openeuler/kernel#5");
    CHECK(subject_from_pr_url("https://gitlab.com/group/sub/project/-/merge_requests/7") == "gitlab:group/sub/project#7");
    CHECK_FALSE(subject_from_pr_url("https://github.com/org/repo/pulls/12"));
    CHECK_FALSE(subject_from_pr_url("https://github.com.evil.org/org/repo/pull/12"));
    CHECK_FALSE(subject_from_pr_url("https://gitlab.com/group/-/merge_requests/7"));
    CHECK_FALSE(subject_from_pr_url("https://gitcode.com/a/b/merge_requests/0"));
}
