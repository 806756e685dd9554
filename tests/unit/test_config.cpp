#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "config_loader.hpp"

using namespace lb::engine;
using nlohmann::json;

namespace {

json minimal() {
    return json::parse(R"({
      "admin_token_env": "LB_ADMIN_TOKEN",
      "contests": [{
        "id": "geekweek", "title": {"en": "Geek Week", "zh": "极客周"},
        "starts_at": "2026-12-01T00:00:00+08:00", "ends_at": "2026-12-08T00:00:00+08:00",
        "freeze_at": "2026-12-07T23:00:00+08:00",
        "repos": ["github:example-org/framework"],
        "teams": [{"id": "shanghai", "name": "上海", "kind": "city"}, {"id": "zju", "name": "浙江大学", "kind": "school"}],
        "participants": [{"id": "alice", "name": "Alice", "github": "Alice", "teams": ["shanghai", "zju"]}],
        "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10}}}
      }]
    })");
}

bool has_error(const config_result& result, const std::string& text) {
    return std::any_of(result.errors.begin(), result.errors.end(), [&](const auto& e) { return e.to_string() == text; });
}

std::string all_errors(const config_result& result) {
    std::string out;
    for (const auto& e : result.errors) out += e.to_string() + "\n";
    return out;
}

}  // namespace

TEST_CASE("a valid configuration loads with its indexes") {
    auto result = load_config(minimal());
    REQUIRE(result.errors.empty());
    const auto& c = result.value.contests.at(0);
    CHECK(c.title.zh == "极客周");
    CHECK(c.teams.at(0).name.en == "上海");
    CHECK(c.find_by_login("github", "alice")->id == "alice");  // logins compare case-insensitively
    CHECK(c.has_repo("github", "Example-Org/Framework"));
    CHECK(c.boards() == std::vector<std::string>{"participants", "teams", "teams:city", "teams:school", "teams:company",
                                                 "component:pull_requests"});
}

TEST_CASE("the bundled examples are valid") {
    auto result = load_config_file(std::string(LB_EXAMPLES_DIR) + "/geekweek.json");
    CHECK_MESSAGE(result.errors.empty(), all_errors(result));
}

TEST_CASE("every error names its field path and reason") {
    struct row { const char* pointer; json value; const char* expected; };
    const row rows[] = {
        {"/contests/0/rules/pull_requests/label_points/bug", "ten", "contests[0].rules.pull_requests.label_points.bug: expected a number"},
        {"/contests/0/id", "Geek Week", "contests[0].id: expected a slug: a-z, 0-9 and '-', at most 40, not starting with '-'"},
        {"/contests/0/starts_at", "2026-12-01 00:00", "contests[0].starts_at: expected an RFC 3339 time with offset, like 2026-12-01T00:00:00+08:00"},
        {"/contests/0/ends_at", "2026-11-01T00:00:00Z", "contests[0].ends_at: must be after starts_at"},
        {"/contests/0/freeze_at", "2027-01-01T00:00:00Z", "contests[0].freeze_at: must lie after starts_at and not after ends_at"},
        {"/contests/0/repos/0", "example-org/framework", "contests[0].repos[0]: expected \"<host>:owner/name\" with host github, gitee, gitcode, atomgit or gitlab (GitLab: group/sub/project)"},
        {"/contests/0/teams/0/kind", "province", "contests[0].teams[0].kind: expected \"city\", \"school\" or \"company\""},
        {"/contests/0/participants/0/teams/1", "mars", "contests[0].participants[0].teams[1]: unknown team \"mars\""},
        {"/contests/0/rules/pull_requests/label_mode", "avg", "contests[0].rules.pull_requests.label_mode: expected \"max\" or \"sum\""},
        {"/contests/0/rules/pull_requests/base_points", 1.005, "contests[0].rules.pull_requests.base_points: expected at most two decimals and a magnitude below 5,000,000"},
        {"/admin_token_env", "my secret token!", "admin_token_env: expected the name of an environment variable (the token itself never goes in this file)"},
        {"/contests/0/title", 42, "contests[0].title: expected a non-empty string or an object with \"en\" and/or \"zh\""},
    };
    for (const auto& r : rows) {
        CAPTURE(r.expected);
        json document = minimal();
        document[json::json_pointer(r.pointer)] = r.value;
        auto result = load_config(document);
        CHECK_MESSAGE(has_error(result, r.expected), all_errors(result));
    }
}

TEST_CASE("all problems are reported at once, and structural rules hold") {
    json document = minimal();
    document["contests"][0].erase("ends_at");
    document["contests"][0]["participants"].push_back({{"id", "alice"}, {"name", "Alice 2"}, {"github", "ALICE"}});
    document["contests"][0]["teams"].push_back({{"id", "beijing"}, {"name", "北京"}, {"kind", "city"}});
    document["contests"][0]["participants"].push_back({{"id", "bo"}, {"name", "Bo"}, {"teams", {"shanghai", "beijing"}}});
    document["contests"].push_back(document["contests"][0]);
    auto result = load_config(document);
    CHECK(has_error(result, "contests[0].ends_at: is required"));
    CHECK(has_error(result, "contests[0].participants[1].id: duplicate participant id \"alice\""));
    CHECK(has_error(result, "contests[0].participants[1].github: login \"ALICE\" belongs to another participant"));
    CHECK(has_error(result, "contests[0].participants[2].teams[1]: a participant has at most one team of kind city"));
    CHECK(has_error(result, "contests[1].id: duplicate contest id \"geekweek\""));
}

TEST_CASE("a contest longer than the tie encoding allows is refused; a year-long one is not") {
    json document = minimal();
    document["contests"][0].erase("freeze_at");
    document["contests"][0]["ends_at"] = "2028-06-01T00:00:00+08:00";
    CHECK(has_error(load_config(document), "contests[0].ends_at: a contest may last at most 400 days"));
    document["contests"][0]["starts_at"] = "2027-01-01T00:00:00+08:00";
    document["contests"][0]["ends_at"] = "2028-02-05T00:00:00+08:00";  // 400 days
    auto year_long = load_config(document);
    CHECK_MESSAGE(year_long.errors.empty(), all_errors(year_long));
    document["contests"][0]["ends_at"] = "2028-02-05T00:00:01+08:00";
    CHECK(has_error(load_config(document), "contests[0].ends_at: a contest may last at most 400 days"));
}

TEST_CASE("unreadable files and bad JSON are reported, not thrown") {
    auto missing = load_config_file("/nonexistent/config.json");
    REQUIRE(missing.errors.size() == 1);
    CHECK(missing.errors[0].reason == "cannot be read");
    CHECK(load_config(json::array()).errors.at(0).to_string() == "(document): expected a JSON object");
}

TEST_CASE("branding, the big screen's race and component names load, and every mistake is named") {
    auto document = minimal();
    document["contests"][0]["branding"] = {{"color", "#1d4ed8"}, {"logo", "geekweek.svg"}, {"teams", {{"shanghai", {{"color", "#e11d48"}}}}}};
    document["contests"][0]["screen"] = {{"race", {"teams:city", "teams:school"}}, {"rotate_seconds", 30}};
    document["contests"][0]["rules"]["components"] = json::array({{{"id", "homework"}, {"max", 100}, {"name", {{"en", "Homework"}, {"zh", "作业"}}}},
                                                                   {{"id", "video"}, {"max", 100}}});
    auto result = load_config(document, LB_EXAMPLES_DIR);
    REQUIRE_MESSAGE(result.errors.empty(), all_errors(result));
    const auto& c = result.value.contests.at(0);
    CHECK(result.value.branding_dir == std::string(LB_EXAMPLES_DIR) + "/branding");
    CHECK(c.branding.color == "#1d4ed8");
    CHECK(c.branding.logo == "geekweek.svg");
    CHECK(c.team_branding.at("shanghai").color == "#e11d48");
    CHECK(c.screen.race == std::vector<std::string>{"teams:city", "teams:school"});
    CHECK(c.screen.rotate_seconds == 30);
    CHECK(c.components.at(0).name.zh == "作业");
    CHECK(c.components.at(1).name.en == "video");  // unnamed: its id

    document["contests"][0]["branding"] = {{"color", "blue"}, {"logo", "../secret.svg"}, {"teams", {{"mars", {{"color", "#000000"}}}}}};
    document["contests"][0]["screen"] = {{"race", {"participants"}}, {"rotate_seconds", 2}};
    auto bad = load_config(document, LB_EXAMPLES_DIR);
    CHECK(has_error(bad, "contests[0].branding.color: expected a colour like \"#1d4ed8\""));
    CHECK(has_error(bad, "contests[0].branding.logo: expected a plain file name ending in .png, .svg, .jpg, .jpeg or .webp"));
    CHECK(has_error(bad, "contests[0].branding.teams.mars: no team \"mars\" in this contest"));
    CHECK(has_error(bad, "contests[0].screen.race[0]: expected one of this contest's team boards, like \"teams:city\""));
    CHECK(has_error(bad, "contests[0].screen.rotate_seconds: expected 0 (no rotation) or 5 to 3600"));
    document["contests"][0]["branding"] = {{"logo", "missing.png"}};
    CHECK(has_error(load_config(document, LB_EXAMPLES_DIR), "contests[0].branding.logo: no file \"missing.png\" in the branding folder " +
                                                                 std::string(LB_EXAMPLES_DIR) + "/branding"));
}

TEST_CASE("the hosts' API settings and the reconcile schedule load, and every mistake is named") {
    auto document = minimal();
    auto result = load_config(document);
    REQUIRE(result.errors.empty());
    CHECK(result.value.webhooks.of("github").api.api_url == "https://api.github.com");
    CHECK(result.value.webhooks.of("gitee").api.api_url == "https://gitee.com/api/v5");
    CHECK(result.value.webhooks.of("gitlab").api.api_url == "https://gitlab.com/api/v4");
    CHECK(result.value.webhooks.of("gitcode").mode == "password");
    CHECK_FALSE(result.value.webhooks.of("gitcode").configured);
    CHECK(result.value.contests[0].reconcile_every_minutes == 0);

    document["webhooks"] = {{"github", {{"secret_env", "GH"}, {"api_url", "http://127.0.0.1:9000/"}, {"token_env", "LB_GITHUB_TOKEN"}}},
                            {"gitee", {{"secret_env", "GE"}, {"api_url", "https://gitee.example.org/api/v5"}}}};
    document["contests"][0]["reconcile_every_minutes"] = 30;
    auto configured = load_config(document);
    REQUIRE_MESSAGE(configured.errors.empty(), all_errors(configured));
    CHECK(configured.value.webhooks.of("github").api.api_url == "http://127.0.0.1:9000");
    CHECK(configured.value.webhooks.of("github").api.token_env == "LB_GITHUB_TOKEN");
    CHECK(configured.value.webhooks.of("gitee").api.token_env.empty());
    CHECK(configured.value.webhooks.of("gitee").configured);
    CHECK(configured.value.contests[0].reconcile_every_minutes == 30);

    document["webhooks"]["github"]["api_url"] = "ftp://api.github.com";
    document["webhooks"]["gitee"]["token_env"] = "ghp_a real token";
    document["contests"][0]["reconcile_every_minutes"] = 2.5;
    auto wrong = load_config(document);
    CHECK(has_error(wrong, "webhooks.github.api_url: expected an http:// or https:// URL"));
    CHECK(has_error(wrong, "webhooks.gitee.token_env: expected the name of an environment variable (the token itself never goes in this file)"));
    CHECK(has_error(wrong, "contests[0].reconcile_every_minutes: expected whole minutes from 0 (never) to 1440"));
}

TEST_CASE("every host of the table: repositories, logins in a participant's logins, webhook blocks") {
    auto document = minimal();
    document["contests"][0]["repos"] = {"github:example-org/framework", "gitcode:openGauss/openGauss-server", "atomgit:openeuler/kernel",
                                        "gitlab:Group/Sub/Project"};
    document["contests"][0]["participants"][0]["logins"] = {{"gitcode", "alice_gc"}, {"gitlab", "alice.gl"}};
    document["webhooks"] = {{"gitcode", {{"secret_env", "GC"}, {"mode", "signature"}}},
                            {"atomgit", {{"secret_env", "AG"}, {"mode", "basic"}}},
                            {"gitlab", {{"secret_env", "GL"}, {"api_url", "https://gitlab.example.org/api/v4"}, {"token_env", "GL_TOKEN"}}}};
    auto result = load_config(document);
    REQUIRE_MESSAGE(result.errors.empty(), all_errors(result));
    const auto& c = result.value.contests[0];
    CHECK(c.repos == std::vector<std::string>{"github:example-org/framework", "gitcode:opengauss/opengauss-server",
                                              "atomgit:openeuler/kernel", "gitlab:group/sub/project"});
    CHECK(c.has_repo("gitlab", "group/sub/project"));
    const auto* alice = c.find_by_login("gitcode", "ALICE_GC");
    REQUIRE(alice);
    CHECK(alice->id == "alice");
    CHECK(c.find_by_login("gitlab", "alice.gl") == alice);
    CHECK(c.find_by_login("github", "alice") == alice);
    CHECK(login_keys(*alice) == std::vector<std::string>{"github:alice", "gitcode:alice_gc", "gitlab:alice.gl"});
    CHECK(result.value.webhooks.of("atomgit").mode == "basic");
    CHECK(result.value.webhooks.of("gitlab").api.token_env == "GL_TOKEN");

    document["contests"][0]["repos"] = {"gitcode:a/b/c", "bitbucket:a/b", "gitlab:a"};
    document["contests"][0]["participants"][0]["logins"] = {{"gitcode", "x y"}, {"github", "Alice"}, {"bitbucket", "a"}};
    document["webhooks"] = {{"gitcode", {{"secret_env", "GC"}, {"mode", "basic"}}}, {"gitlab", {{"secret_env", "GL"}, {"timestamp_window_seconds", 60}}},
                            {"sourcehut", {{"secret_env", "S"}}}};
    auto wrong = load_config(document);
    std::string hosts = "github, gitee, gitcode, atomgit or gitlab";
    CHECK(has_error(wrong, "contests[0].repos[0]: expected \"<host>:owner/name\" with host " + hosts + " (GitLab: group/sub/project)"));
    CHECK(has_error(wrong, "contests[0].repos[1]: expected \"<host>:owner/name\" with host " + hosts + " (GitLab: group/sub/project)"));
    CHECK(has_error(wrong, "contests[0].repos[2]: expected \"<host>:owner/name\" with host " + hosts + " (GitLab: group/sub/project)"));
    CHECK(has_error(wrong, "contests[0].participants[0].logins.gitcode: expected a login of letters, digits, '_', '.' or '-'"));
    CHECK(has_error(wrong, "contests[0].participants[0].logins.github: the github login is given twice"));
    CHECK(has_error(wrong, "contests[0].participants[0].logins.bitbucket: not a code host (" + hosts + ")"));
    CHECK(has_error(wrong, "webhooks.gitcode.mode: expected \"password\" or \"signature\""));
    CHECK(has_error(wrong, "webhooks.gitlab.timestamp_window_seconds: only Gitee's hooks carry a timestamp"));
    CHECK(has_error(wrong, "webhooks.sourcehut: not a code host (" + hosts + ")"));
}

TEST_CASE("waiting for replicas is off by default, and its settings are checked against the command timeout") {
    auto document = minimal();
    auto result = load_config(document);
    REQUIRE(result.errors.empty());
    CHECK(result.value.redis.wait_replicas == 0);

    document["redis"] = {{"command_timeout_ms", 2000}, {"wait_replicas", 1}, {"wait_timeout_ms", 800}};
    auto configured = load_config(document);
    REQUIRE_MESSAGE(configured.errors.empty(), all_errors(configured));
    CHECK(configured.value.redis.wait_replicas == 1);
    CHECK(configured.value.redis.wait_timeout_ms == 800);

    document["redis"] = {{"wait_replicas", 1}, {"wait_timeout_ms", 900}};  // the command timeout stays 1000
    CHECK(has_error(load_config(document), "redis.wait_timeout_ms: expected at most half of redis.command_timeout_ms (1000)"));
    document["redis"] = {{"wait_replicas", 1.5}, {"wait_timeout_ms", 5}};
    auto wrong = load_config(document);
    CHECK(has_error(wrong, "redis.wait_replicas: expected a whole number of replicas, 0 to 16"));
    CHECK(has_error(wrong, "redis.wait_timeout_ms: expected 10 to 60000 milliseconds"));
}

TEST_CASE("redis.durability: exact by default, relaxed on request, anything else named") {
    auto plain = load_config(minimal());
    REQUIRE(plain.errors.empty());
    CHECK(plain.value.redis.durability == durability_mode::exact);
    auto document = minimal();
    document["redis"] = {{"durability", "relaxed"}};
    CHECK(load_config(document).value.redis.durability == durability_mode::relaxed);
    document["redis"] = {{"durability", "sometimes"}};
    auto wrong = load_config(document);
    CHECK_MESSAGE(has_error(wrong, "redis.durability: expected \"exact\" or \"relaxed\""), all_errors(wrong));
}

TEST_CASE("placings name the final ranks, none overlapping") {
    auto document = minimal();
    document["contests"][0]["placings"] = json::parse(R"([{"from": 1, "to": 1, "title": {"en": "Champion", "zh": "冠军"}},
                                                          {"from": 2, "to": 6, "title": "Top six"}])");
    auto result = load_config(document);
    REQUIRE_MESSAGE(result.errors.empty(), all_errors(result));
    const auto& c = result.value.contests.at(0);
    CHECK(c.placing_for(1)->title.zh == "冠军");
    CHECK(c.placing_for(6)->title.en == "Top six");
    CHECK(c.placing_for(7) == nullptr);
    document["contests"][0]["placings"] = json::parse(R"([{"from": 1, "to": 3, "title": "A"}, {"from": 3, "to": 4, "title": "B"},
                                                          {"from": 0, "to": 1, "title": "C"}, {"from": 9, "to": 8, "title": "D"},
                                                          {"from": 1.5, "to": 2, "title": "E"}])");
    auto broken = load_config(document);
    CHECK(has_error(broken, "contests[0].placings[1]: overlaps the ranks of another placing"));
    CHECK(has_error(broken, "contests[0].placings[2].from: expected a rank from 1 to 1000"));
    CHECK(has_error(broken, "contests[0].placings[3].to: expected a rank from \"from\" to 1000"));
    CHECK(has_error(broken, "contests[0].placings[4].from: expected a rank from 1 to 1000"));
}
