#include <doctest/doctest.h>

#include <algorithm>
#include <unordered_set>

#include "config_loader.hpp"
#include "report_row.hpp"
#include "operations.hpp"

using namespace lb::engine;
using nlohmann::json;

namespace {

unix_seconds at(const char* text) { return *parse_rfc3339(text); }

config history_config() {
    auto document = json::parse(R"({"admin_token_env": "T", "community": {"id_prefix": "MSG-"}, "contests": [{"id": "week",
        "title": "Week", "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-08T00:00:00Z",
        "repos": ["github:o/r", "gitee:o/g"], "rules": {"pull_requests": {"base_points": 1}},
        "teams": [{"id": "beijing", "name": {"en": "Beijing", "zh": "北京"}, "kind": "city"},
                  {"id": "shanghai", "name": "Shanghai", "kind": "city"}, {"id": "pku", "name": "PKU", "kind": "school"}],
        "participants": [{"id": "ann", "name": "Ann", "github": "Ann", "teams": ["beijing"]},
                         {"id": "bob", "name": "Bob", "github": "bob", "teams": ["beijing", "pku"]},
                         {"id": "cat", "name": "Cat", "gitee": "cat", "teams": ["shanghai"]},
                         {"id": "dan", "name": "Dan", "github": "dan", "teams": ["pku"]},
                         {"id": "eve", "name": "Eve", "github": "eve", "teams": ["shanghai"]}]}]})");
    auto loaded = load_config(document);
    REQUIRE(loaded.errors.empty());
    // Eve is disqualified while the contest runs.
    const contest& c = loaded.value.contests[0];
    auto people = c.members().participants();
    for (auto& p : people) p.disqualified = p.id == "eve";
    c.publish_roster(roster(c.members().teams(), std::move(people)), 0);
    return std::move(loaded.value);
}

// A hand-built week: who merged where and when, who stayed, who signed up when.
operations_input history(const contest& c, unix_seconds now) {
    operations_input in;
    in.c = &c;
    in.kind = team_kind::city;
    in.now = now;
    in.merges = {{"github:o/r#1", "github:ann", at("2026-12-02T10:00:00Z")},
                 {"github:o/r#2", "github:bob", at("2026-12-03T12:00:00Z")},
                 {"github:o/r#3", "github:zed", at("2026-12-04T09:00:00Z")},   // not a participant
                 {"gitee:o/g#4", "gitee:cat", at("2026-12-05T06:00:00Z")},
                 {"github:x/y#5", "github:ann", at("2026-12-05T07:00:00Z")},   // another contest's repository
                 {"github:o/r#6", "github:eve", at("2026-12-06T07:00:00Z")},   // disqualified
                 {"github:o/r#7", "github:bob", at("2026-12-08T00:00:00Z")}};  // the end is outside the window
    in.histories["github:ann"] = {at("2026-11-01T00:00:00Z"), true, true};
    in.histories["github:bob"] = {at("2026-12-03T12:00:00Z"), false, true};
    in.histories["gitee:cat"] = {at("2026-12-05T06:00:00Z"), false, false};
    in.histories["github:zed"] = {at("2026-12-04T09:00:00Z"), true, true};
    in.histories["github:eve"] = {at("2026-12-06T07:00:00Z"), true, true};
    in.other_awards = {"dan"};
    in.registered_at = {{"ann", at("2026-12-01T00:00:00Z")}, {"bob", at("2026-12-01T00:00:00Z")},
                        {"cat", at("2026-12-05T00:00:00Z")}, {"dan", at("2026-11-20T00:00:00Z")}};
    return in;
}

}  // namespace

TEST_CASE("a week's merges counted before any history: the logins whose histories are asked") {
    auto cfg = history_config();
    const contest& c = cfg.contests[0];
    auto in = history(c, at("2027-03-10T00:00:00Z"));
    auto counts = count_contest_merges(in);
    CHECK(counts.merges_total == 4);  // Ann's, Bob's, Cat's and Zed's; not Eve's, nor those outside the window or repositories
    CHECK(counts.unregistered_authors == std::unordered_set<std::string_view>{"github:zed"});
    auto logins = logins_to_read(c, counts);
    std::sort(logins.begin(), logins.end());
    std::vector<std::string> expected;
    for (const auto& p : c.members().participants())
        for (auto& key : login_keys(p)) expected.push_back(key);
    expected.push_back("github:zed");
    std::sort(expected.begin(), expected.end());
    CHECK(logins == expected);  // every participant's (eve's too), and the one author who is nobody's
    // Counted apart or all at once, the figures are the same.
    CHECK(contest_operations(in, count_contest_merges(in)) == contest_operations(in));
}

TEST_CASE("operations figures of a hand-built week follow the definitions exactly") {
    auto cfg = history_config();
    const contest& c = cfg.contests[0];
    auto report = contest_operations(history(c, at("2027-03-10T00:00:00Z")));

    const auto& beijing = row(report, "beijing");
    CHECK(beijing["registered"] == 2);
    CHECK(beijing["active"] == 2);
    CHECK(beijing["merged"] == 2);
    CHECK(beijing["merged_again"] == 2);      // Ann within 30 days, Bob within 90
    CHECK(beijing["new_contributors"] == 1);  // Bob; Ann merged first in November
    CHECK(beijing["retained_30"] == 0);
    CHECK(beijing["retained_90"] == 1);
    CHECK(beijing["merges"] == 2);
    CHECK(beijing["name"]["zh"] == "北京");

    const auto& shanghai = row(report, "shanghai");  // Eve is disqualified: counted nowhere
    CHECK(shanghai["registered"] == 1);
    CHECK(shanghai["new_contributors"] == 1);
    CHECK(shanghai["retained_90"] == 0);
    CHECK(shanghai["merges"] == 1);

    const auto& none = row(report, "none");  // Dan has no city: active through a non-PR award
    CHECK(none["registered"] == 1);
    CHECK(none["active"] == 1);
    CHECK(none["merged"] == 0);

    const auto& outside = row(report, "unregistered");
    CHECK(outside["registered"] == 0);
    CHECK(outside["new_contributors"] == 1);
    CHECK(outside["retained_30"] == 1);
    CHECK(outside["merges"] == 1);

    CHECK(report["totals"]["registered"] == 4);
    CHECK(report["totals"]["new_contributors"] == 3);
    CHECK(report["totals"]["merges"] == 4);
    CHECK(report["funnel"]["registered"] == 4);
    CHECK(report["funnel"]["merged"] == 3);
    CHECK(report["funnel"]["merged_again"] == 2);
    CHECK(report["funnel"]["registered_to_merged"] == 0.75);
    CHECK(report["funnel"]["merged_to_merged_again"] == 0.667);
    CHECK(report["retention"]["rate_30"] == 0.333);
    CHECK(report["retention"]["rate_90"] == 0.667);
    CHECK(report["retention_complete"]["30"] == true);
    CHECK(report["retention_complete"]["90"] == true);

    const auto& wait = report["time_to_first_merge"];
    CHECK(wait["members"] == 4);
    CHECK(wait["measured"] == 2);                   // Bob 60 h, Cat 6 h
    CHECK(wait["median_hours"] == 33.0);
    CHECK(wait["p90_hours"] == 60.0);
    CHECK(wait["merged_before_registering"] == 1);  // Ann
    CHECK(wait["not_merged_yet"] == 1);             // Dan

    const auto& days = report["daily"]["days"];
    REQUIRE(days.size() == 7);
    CHECK(days[0] == "2026-12-01");
    CHECK(report["daily"]["chapters"]["beijing"] == json::array({0, 1, 1, 0, 0, 0, 0}));
    CHECK(report["daily"]["chapters"]["shanghai"] == json::array({0, 0, 0, 0, 1, 0, 0}));
    CHECK(report["daily"]["chapters"]["unregistered"] == json::array({0, 0, 0, 1, 0, 0, 0}));
}

TEST_CASE("operations figures while the contest runs, by another chapter kind, and as CSV") {
    auto cfg = history_config();
    const contest& c = cfg.contests[0];
    auto running = contest_operations(history(c, at("2026-12-03T18:00:00Z")));
    CHECK(running["daily"]["days"].size() == 3);  // up to today
    CHECK(running["retention_complete"]["30"] == false);

    auto in = history(c, at("2027-03-10T00:00:00Z"));
    in.kind = team_kind::school;
    auto schools = contest_operations(in);
    CHECK(schools["kind"] == "school");
    CHECK(row(schools, "pku")["registered"] == 2);  // Bob and Dan
    CHECK(row(schools, "none")["registered"] == 2);  // Ann and Cat

    auto csv = operations_csv(contest_operations(history(c, at("2027-03-10T00:00:00Z"))));
    CHECK(csv.starts_with("chapter,name,registered,active,merged,merged_again,new_contributors,retained_30,retained_90,merges\r\n"));
    CHECK(csv.find("beijing,Beijing,2,2,2,2,1,0,1,2\r\n") != std::string::npos);
    CHECK(csv.find("total,Total,4,4,3,2,3,1,2,4\r\n") != std::string::npos);
    auto daily = daily_merges_csv(contest_operations(history(c, at("2027-03-10T00:00:00Z"))));
    CHECK(daily.find("2026-12-03,beijing,1\r\n") != std::string::npos);

    std::string host, repo;
    CHECK(pull_request_repo("gitee:o/g#4", host, repo));
    CHECK(host == "gitee");
    CHECK(repo == "o/g");
    CHECK_FALSE(pull_request_repo("reproduction:m:ann", host, repo));
}
