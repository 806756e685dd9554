#include <doctest/doctest.h>

#include "award.hpp"
#include "scoring.hpp"

using namespace lb::engine;

namespace {

pull_request_rules rules(label_mode mode = label_mode::max) {
    pull_request_rules r;
    r.enabled = true;
    r.base_points = 100;
    r.label_points = {{"bug", 1000}, {"documentation", 200}, {"level-1", 300}};
    r.mode = mode;
    r.exclude_labels = {"invalid", "spam"};
    r.max_points_per_pr = 5000;
    return r;
}

contest sample_contest() {
    contest c;
    c.id = "geekweek";
    c.starts_at = 1796054400;  // 2026-12-01T00:00:00+08:00
    c.ends_at = c.starts_at + 7 * 86400;
    c.repos = {"github:example-org/framework"};
    c.teams = {{"shanghai", {"Shanghai", "上海"}, team_kind::city}, {"zju", {"ZJU", "浙江大学"}, team_kind::school}};
    c.participants = {{"alice", "Alice", {{"github", "alice"}, {"gitee", "alice-g"}}, "", {"shanghai", "zju"}}};
    c.pull_requests = rules();
    c.build_indexes();
    return c;
}

pull_request_facts merged_pr(std::vector<std::string> labels) {
    pull_request_facts pr;
    pr.host = "github";
    pr.repo = "Example-Org/framework";
    pr.number = 123;
    pr.author = "Alice";
    pr.labels = std::move(labels);
    pr.merged = true;
    pr.merged_at = 1796054400 + 3600;
    pr.updated_at = pr.merged_at.value();
    return pr;
}

}  // namespace

TEST_CASE("label names match case-insensitively with '-', '_' and space alike") {
    CHECK(normalize_label("Level-1") == normalize_label("level 1"));
    CHECK(normalize_label("LEVEL_1") == "level-1");
    CHECK(normalize_label("Bug") == "bug");
    CHECK(normalize_label("难度-高") == "难度-高");
}

TEST_CASE("PR points from the label rules") {
    struct row { std::vector<std::string> labels; label_mode mode; centi expected; };
    const row rows[] = {
        {{}, label_mode::max, 100},                                 // unlabelled: base only
        {{"bug"}, label_mode::max, 1100},                           // SPEC: base 1 + bug 10 = 11
        {{"BUG"}, label_mode::max, 1100},
        {{"bug", "documentation"}, label_mode::max, 1100},          // the largest label counts
        {{"bug", "documentation"}, label_mode::sum, 1300},          // or their sum
        {{"bug", "Bug", "documentation"}, label_mode::sum, 1300},   // a label counts once
        {{"level 1"}, label_mode::max, 400},
        {{"bug", "spam"}, label_mode::max, 0},                      // excluded
        {{"Invalid"}, label_mode::sum, 0},
        {{"unrelated"}, label_mode::max, 100},
    };
    for (const auto& r : rows) {
        CAPTURE(r.expected);
        CHECK(score_labels(rules(r.mode), r.labels).points == r.expected);
    }
}

TEST_CASE("the cap and required labels apply") {
    auto capped = rules(label_mode::sum);
    capped.max_points_per_pr = 1200;
    CHECK(score_labels(capped, {"bug", "documentation", "level-1"}).points == 1200);
    CHECK(score_labels(capped, {"bug", "documentation", "level-1"}).reason.find("capped") != std::string::npos);
    auto required = rules();
    required.require_labels = {"bug"};
    CHECK(score_labels(required, {"documentation"}).points == 0);
    CHECK(score_labels(required, {"Bug"}).points == 1100);
}

TEST_CASE("window, merge state and repository gate a PR") {
    auto c = sample_contest();
    CHECK(score_pull_request(c, merged_pr({"bug"})).points == 1100);
    auto unmerged = merged_pr({"bug"});
    unmerged.merged = false;
    CHECK(score_pull_request(c, unmerged).points == 0);
    auto early = merged_pr({"bug"});
    early.merged_at = c.starts_at - 1;
    CHECK(score_pull_request(c, early).points == 0);
    auto at_start = merged_pr({"bug"});
    at_start.merged_at = c.starts_at;
    CHECK(score_pull_request(c, at_start).points == 1100);
    auto at_end = merged_pr({"bug"});
    at_end.merged_at = c.ends_at;  // the window is half-open
    CHECK(score_pull_request(c, at_end).points == 0);
    auto other_repo = merged_pr({"bug"});
    other_repo.repo = "example-org/other";
    CHECK_FALSE(pr_in_contest(c, other_repo));
}

TEST_CASE("an award lands on the participant, component and every team board") {
    auto c = sample_contest();
    auto a = make_pull_request_award(c, merged_pr({"bug"}));
    CHECK(a.subject == "github:example-org/framework#123");
    CHECK(a.participant == "alice");
    CHECK(a.contributions == std::vector<contribution>{{"participants", "alice", 1100},
                                                       {"component:pull_requests", "alice", 1100},
                                                       {"teams", "shanghai", 1100},
                                                       {"teams:city", "shanghai", 1100},
                                                       {"teams", "zju", 1100},
                                                       {"teams:school", "zju", 1100}});
}

TEST_CASE("component weights scale the total but not the component board") {
    auto c = sample_contest();
    c.pull_requests.weight = 0.3;
    auto parts = contributions_for(c, c.participants[0], "pull_requests", 8750, c.starts_at);
    CHECK(parts.at(0) == contribution{"participants", "alice", 2625});
    CHECK(parts.at(1) == contribution{"component:pull_requests", "alice", 8750});
}

TEST_CASE("an unregistered author's PR is kept unattributed, then re-derived on registration") {
    auto c = sample_contest();
    auto pr = merged_pr({"bug"});
    pr.author = "newcomer";
    auto kept = make_pull_request_award(c, pr);
    CHECK(kept.participant.empty());
    CHECK(kept.pending_login == "github:newcomer");
    CHECK(kept.points == 1100);
    CHECK(kept.contributions.empty());
    c.participants.push_back({"nc", "Newcomer", {{"github", "NewComer"}}, "", {"shanghai"}});
    c.build_indexes();
    auto stored = award::from_json(kept.to_json());
    REQUIRE(stored);
    auto registered = rederive_award(c, *stored);
    CHECK(registered.participant == "nc");
    CHECK(registered.pending_login.empty());
    CHECK(registered.contributions.size() == 4);
}

TEST_CASE("an award record written directly is byte for byte the one nlohmann dumps") {
    auto c = sample_contest();
    std::vector<award> awards{make_pull_request_award(c, merged_pr({"bug", "documentation"}))};
    award odd;
    odd.subject = "adjustment:\"quoted\" \\ back";
    odd.kind = "adjustment";
    odd.component = "adjustments";
    odd.pending_login = "gitee:陈";
    odd.points = -1234;
    odd.at = -5;
    odd.version = 9007199254740993;
    odd.reason = std::string("tab\t nl\n cr\r bs\b ff\f nul") + '\0' + " bell\x07 del\x7f 中文 \xf0\x9f\x8e\x89";
    odd.details = {{"actor", "ops"}, {"nested", {{"b", 1}, {"a", nullptr}}}};
    odd.contributions = {{"participants", "x", -1234}, {"teams:city", "上海", 7}};
    awards.push_back(odd);
    awards.push_back(award{});
    for (const auto& a : awards) {
        CAPTURE(a.subject);
        CHECK(a.to_json_text() == a.to_json().dump());
    }
}

TEST_CASE("award records round-trip through JSON") {
    auto c = sample_contest();
    auto a = make_pull_request_award(c, merged_pr({"bug", "documentation"}));
    auto back = read_award_record(a.to_json_text());
    REQUIRE(back);
    CHECK(back->to_json() == a.to_json());
    auto facts = facts_from_json(a.details);
    REQUIRE(facts);
    CHECK(facts->labels == std::vector<std::string>{"bug", "documentation"});
}

TEST_CASE("records of the wrong shape read as nothing, never as an exception") {
    auto c = sample_contest();
    auto a = make_pull_request_award(c, merged_pr({"bug"})).to_json();
    auto with = [&](const char* key, nlohmann::json value) {
        auto copy = a;
        copy[key] = std::move(value);
        return copy;
    };
    for (const auto& bad : {with("points", "11"), with("at", 1.5), with("subject", 7), with("contrib", {{"participants", "x", "1"}}),
                            with("details", {{"host", "github"}}), nlohmann::json::array(), nlohmann::json("text")}) {
        CAPTURE(bad.dump());
        CHECK_FALSE(award::from_json(bad));
    }
    auto details = a["details"];
    details["labels"] = {1, 2};
    CHECK_FALSE(facts_from_json(details));
    details["labels"] = nlohmann::json::array();
    details["merged_at"] = "yesterday";
    CHECK_FALSE(facts_from_json(details));
    for (const char* text : {"", "{", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "{\"kind\":\"x\",\"kind\":\"y\"}"}) {
        CAPTURE(text);
        CHECK_FALSE(read_award_record(text));
    }
}

TEST_CASE("a judged score and an adjustment are built by the engine, counted within the window") {
    auto c = sample_contest();
    c.components = {{"project", 0.6, 10000, {"Final project", "结业项目"}}};
    c.build_indexes();
    const auto& alice = c.participants[0];
    CHECK(awarded_at(c, c.starts_at - 50) == c.starts_at);
    CHECK(awarded_at(c, c.ends_at + 50) == c.ends_at);
    CHECK(awarded_at(c, c.starts_at + 9) == c.starts_at + 9);
    auto judged = make_component_award(c, alice, "project", 9500, c.starts_at + 9, 42, "", "ana");
    CHECK(judged.subject == "component:project:alice");
    CHECK(judged.kind == "component");
    CHECK(judged.reason == "judged project");  // the page names the component in its language
    CHECK(judged.version == 42);
    CHECK(judged.details == nlohmann::json{{"judge", "ana"}});
    CHECK(judged.contributions.at(0) == contribution{"participants", "alice", 5700});  // weighted
    CHECK(judged.contributions.at(1) == contribution{"component:project", "alice", 9500});
    CHECK(make_component_award(c, alice, "project", 100, c.starts_at, 1, "week 3 demo", "ana").reason == "week 3 demo");
    auto adjusted = make_adjustment_award(c, alice, "fix-1", -250, c.starts_at + 9, "a duplicate PR", "admin");
    CHECK(adjusted.subject == "adjustment:fix-1");
    CHECK(adjusted.component == "adjustments");
    CHECK(adjusted.details == nlohmann::json{{"actor", "admin"}});
    CHECK(adjusted.contributions.at(0) == contribution{"participants", "alice", -250});
    auto back = award::from_json(adjusted.to_json());
    REQUIRE(back);
    CHECK(back->contributions == adjusted.contributions);
}
