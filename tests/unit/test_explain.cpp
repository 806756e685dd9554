// "Why didn't this count": every check the scoring makes, from the same rules; PR URLs read as
// the ledger's subjects; judges in the config.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "config_loader.hpp"
#include "explain.hpp"

using namespace lb::engine;
using nlohmann::json;

namespace {

config load(const json& extra_top_level) {
    json document = json::parse(R"({
      "admin_token_env": "LB_ADMIN_TOKEN",
      "contests": [{"id": "c", "title": "C", "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2026-02-01T00:00:00Z",
        "repos": ["github:org/repo"], "teams": [], "participants": [{"id": "ann", "name": "Ann", "github": "Ann-GH"}],
        "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10, "feature": 20}, "exclude_labels": ["invalid"],
                                    "require_labels": ["bug", "feature"], "max_points_per_pr": 15}}}]})");
    document.update(extra_top_level);
    auto result = load_config(document, ".");
    REQUIRE_MESSAGE(result.errors.empty(), (result.errors.empty() ? "" : result.errors[0].to_string()));
    for (auto& c : result.value.contests) c.build_indexes();
    return result.value;
}

pull_request_facts pr(std::vector<std::string> labels, long long merged_at = 1767312000, std::string author = "ann-gh") {
    pull_request_facts f;
    f.host = "github";
    f.repo = "org/repo";
    f.number = 4;
    f.author = std::move(author);
    f.labels = std::move(labels);
    f.merged = true;
    f.merged_at = merged_at;
    return f;
}

json check(const json& explained, const std::string& name) {
    for (const auto& c : explained["checks"])
        if (c["check"] == name) return c;
    FAIL("no check " << name);
    return {};
}

}  // namespace

TEST_CASE("explain names the check that failed and agrees with the score") {
    auto cfg = load(json::object());
    const auto& c = cfg.contests[0];
    auto excluded = explain_pull_request(c, pr({"Bug", "INVALID"}));
    CHECK_FALSE(check(excluded, "excluded_labels")["passed"].get<bool>());
    CHECK(excluded["points"] == 0);
    CHECK(excluded["labels_normalized"] == json::array({"bug", "invalid"}));  // normalised as the scoring does
    CHECK(check(excluded, "excluded_labels")["detail"] == "excluded: invalid");

    auto capped = explain_pull_request(c, pr({"bug", "Feature"}));
    CHECK(capped["points"] == 15);
    CHECK(capped["reason"].get<std::string>().find("capped at 15") != std::string::npos);
    CHECK(check(capped, "registration")["passed"].get<bool>());  // logins compare case-insensitively
    CHECK(capped["registered_as"] == "ann");

    auto missing = explain_pull_request(c, pr({"docs"}));
    CHECK_FALSE(check(missing, "required_labels")["passed"].get<bool>());
    CHECK(missing["points"] == 0);

    auto late = explain_pull_request(c, pr({"bug"}, 1780000000));
    CHECK_FALSE(check(late, "window")["passed"].get<bool>());
    CHECK(late["points"] == 0);

    auto stranger = explain_pull_request(c, pr({"bug"}, 1767312000, "zed"));
    CHECK_FALSE(check(stranger, "registration")["passed"].get<bool>());
    CHECK(stranger["points"] == 11);  // unregistered PRs keep their points, unattributed
    CHECK(stranger["registered_as"].is_null());
}

TEST_CASE("a PR URL reads as the ledger's subject; anything else does not") {
    CHECK(subject_from_pr_url("https://github.com/Org/Repo/pull/12") == "github:org/repo#12");
    CHECK(subject_from_pr_url("https://github.com/org/repo/pull/12/files#diff") == "github:org/repo#12");
    CHECK(subject_from_pr_url("https://gitee.com/org/repo/pulls/7?tab=1") == "gitee:org/repo#7");
    for (const char* bad : {"", "https://github.com/org/repo/pulls/1", "https://gitee.com/org/repo/pull/1", "http://github.com/o/r/pull/1",
                            "https://github.com/o/r/pull/0", "https://github.com/o/r/pull/-1", "https://github.com/o/r/pull/1x",
                            "https://github.com//r/pull/1", "https://github.com/o%20/r/pull/1", "https://github.com/o/r/pull/",
                            "https://github.com/o/r/pull/99999999999999999999", "https://github.com.evil/o/r/pull/1"})
        CHECK_MESSAGE(!subject_from_pr_url(bad), bad);
}

TEST_CASE("judges come from the config with the variable that holds their token") {
    auto cfg = load(json::parse(R"({"judges": [{"id": "li", "name": "Li Wei", "token_env": "LB_JUDGE_LI"}, {"id": "bo", "token_env": "LB_JUDGE_BO"}]})"));
    REQUIRE(cfg.judges.size() == 2);
    CHECK(cfg.judges[0].name == "Li Wei");
    CHECK(cfg.judges[1].name == "bo");
    CHECK(cfg.judges[1].token_env == "LB_JUDGE_BO");
    for (const char* bad : {R"([{"id": "admin", "token_env": "X"}])", R"([{"id": "a b", "token_env": "X"}])", R"([{"id": "li"}])",
                            R"([{"id": "li", "token_env": "not a name"}])", R"([{"id": "li", "token_env": "X"}, {"id": "li", "token_env": "Y"}])",
                            R"({"id": "li"})", R"([5])"}) {
        json document = json::parse(R"({"admin_token_env": "T", "contests": [{"id": "c", "title": "C", "starts_at": "2026-01-01T00:00:00Z",
          "ends_at": "2026-02-01T00:00:00Z", "repos": [], "teams": [], "participants": []}]})");
        document["judges"] = json::parse(bad);
        auto result = load_config(document, ".");
        CHECK_MESSAGE(!result.errors.empty(), bad);
        if (!result.errors.empty()) CHECK_MESSAGE(result.errors[0].path.starts_with("judges"), result.errors[0].path);
    }
}
