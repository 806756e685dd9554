#include <doctest/doctest.h>

#include <algorithm>
#include <unordered_set>

#include "config_loader.hpp"
#include "report_row.hpp"
#include "season_operations.hpp"

using namespace lb::engine;
using nlohmann::json;

namespace {

unix_seconds at(const char* text) { return *parse_rfc3339(text); }

// Two weeks of one season, a week apart; Ann and Bob take part in both.
config season_config() {
    auto contest_json = [](const char* id, const char* from, const char* to, json participants) {
        return json{{"id", id}, {"title", id}, {"starts_at", from}, {"ends_at", to}, {"repos", {"github:o/r", "gitee:o/g"}},
                    {"rules", {{"pull_requests", {{"base_points", 1}}}}}, {"teams", json::array()}, {"participants", participants}};
    };
    auto one = contest_json("first", "2026-12-01T00:00:00Z", "2026-12-08T00:00:00Z", json::parse(R"([
        {"id": "ann", "name": "Ann", "github": "Ann", "person": "MSG-000001"}, {"id": "bob", "name": "Bob", "github": "bob"},
        {"id": "cat", "name": "Cat", "gitee": "cat", "person": "MSG-000002"}, {"id": "eve", "name": "Eve", "github": "eve"}])"));
    auto two = contest_json("second", "2026-12-15T00:00:00Z", "2026-12-22T00:00:00Z", json::parse(R"([
        {"id": "ann-2", "name": "Ann", "github": "ann"}, {"id": "bob", "name": "Bob", "github": "bob"},
        {"id": "dan", "name": "Dan", "github": "dan", "person": "MSG-000003"}])"));
    auto loaded = load_config(json{{"admin_token_env", "T"}, {"community", {{"id_prefix", "MSG-"}}}, {"contests", {one, two}}});
    REQUIRE(loaded.errors.empty());
    const contest& first = loaded.value.contests[0];
    auto people = first.members().participants();
    for (auto& p : people) p.disqualified = p.id == "eve";
    first.publish_roster(roster(first.members().teams(), std::move(people)), 0);
    return std::move(loaded.value);
}

member_facts_by_id records() {
    return {{"MSG-000001", *read_member_facts(R"({"registered_at": 1795132800, "memberships": [
                 {"kind": "city", "chapter": "Beijing", "since": 1793491200, "until": 1796860800},
                 {"kind": "city", "chapter": "Shanghai", "since": 1796860800}]})")},  // moved on 2026-12-10
            {"MSG-000002", *read_member_facts(R"({"registered_at": 1796083200, "memberships": [
                 {"kind": "city", "chapter": "Shanghai", "since": 1796083200}]})")},
            {"MSG-000003", *read_member_facts(R"({"registered_at": 1797206400, "memberships": []})")}};
}

std::vector<season_entry> entries(const config& cfg) {
    std::vector<season_entry> out;
    for (const auto& c : cfg.contests)
        for (const auto& p : c.members().participants()) {
            std::string member = p.person;
            if (p.id == "ann-2") member = "MSG-000001";  // resolved from the login Ann's record owns
            out.push_back({&c, &p, member, p.id == "dan"});
        }
    return out;
}

season_operations_input history(const config& cfg, unix_seconds now) {
    season_operations_input in;
    in.season = "2026";
    in.starts_at = at("2026-12-01T00:00:00Z");
    in.ends_at = at("2026-12-22T00:00:00Z");
    in.now = now;
    in.people = season_people(entries(cfg), records());
    in.merges = {{"github:o/r#1", "github:ann", at("2026-12-02T10:00:00Z")},   // Ann in Beijing then
                 {"github:o/r#2", "github:bob", at("2026-12-03T12:00:00Z")},
                 {"gitee:o/g#3", "gitee:cat", at("2026-12-05T06:00:00Z")},
                 {"github:o/r#4", "github:ann", at("2026-12-16T08:00:00Z")},   // Ann in Shanghai now
                 {"github:o/r#5", "github:zed", at("2026-12-17T09:00:00Z")}};  // nobody's participant
    in.histories["github:ann"] = {at("2026-11-05T00:00:00Z"), true, true};
    in.histories["github:bob"] = {at("2026-12-03T12:00:00Z"), false, true};
    in.histories["gitee:cat"] = {at("2026-12-05T06:00:00Z"), false, false};
    in.histories["github:zed"] = {at("2026-12-17T09:00:00Z"), true, true};
    return in;
}

}  // namespace

TEST_CASE("a season's people: one per member and per login, whatever contests they entered") {
    auto cfg = season_config();
    auto people = season_people(entries(cfg), records());
    REQUIRE(people.size() == 4);  // Ann (twice), Bob (twice), Cat, Dan; Eve is disqualified
    CHECK(people[0].key == "MSG-000001");
    CHECK(people[0].logins == std::vector<std::string>{"github:ann"});
    CHECK(people[0].memberships.size() == 2);
    CHECK(people[1].key == "github:bob");
    CHECK_FALSE(people[1].member);
    CHECK(people[3].key == "MSG-000003");
    CHECK(people[3].other_award);
    CHECK(*people[3].registered_at == at("2026-12-14T00:00:00Z"));
    auto in = history(cfg, at("2027-04-01T00:00:00Z"));
    auto counts = count_season_merges(in);
    CHECK(counts.unregistered_authors == std::unordered_set<std::string_view>{"github:zed"});
    CHECK(counts.merges_total == 5);
    CHECK(counts.merged == std::vector<char>{1, 1, 1, 0});  // Ann, Bob, Cat merged; Dan did not
    auto logins = season_logins_to_read(in.people, counts);
    std::sort(logins.begin(), logins.end());
    CHECK(logins == std::vector<std::string>{"gitee:cat", "github:ann", "github:bob", "github:dan", "github:zed"});
}

TEST_CASE("a season's merges are read over the stretches its contests cover, each once") {
    auto cfg = season_config();
    std::vector<const contest*> both{&cfg.contests[1], &cfg.contests[0]};
    using span = std::pair<unix_seconds, unix_seconds>;
    CHECK(covered_spans(both) == std::vector<span>{{at("2026-12-01T00:00:00Z"), at("2026-12-08T00:00:00Z")},
                                                   {at("2026-12-15T00:00:00Z"), at("2026-12-22T00:00:00Z")}});
    contest overlapping = cfg.contests[0];
    overlapping.starts_at = at("2026-12-05T00:00:00Z");
    overlapping.ends_at = at("2026-12-15T00:00:00Z");  // touches the second: one stretch from the first's start
    both.push_back(&overlapping);
    CHECK(covered_spans(both) == std::vector<span>{{at("2026-12-01T00:00:00Z"), at("2026-12-22T00:00:00Z")}});
    CHECK(covered_spans({}).empty());
}

TEST_CASE("a season's operations figures count people once and merges with the chapter of their day") {
    auto cfg = season_config();
    auto report = season_operations(history(cfg, at("2027-04-01T00:00:00Z")));
    CHECK(report["season"] == "2026");

    const auto& beijing = row(report, "Beijing");  // Ann merged here before she moved, and counts in Shanghai now
    CHECK(beijing["registered"] == 0);
    CHECK(beijing["merges"] == 1);
    const auto& shanghai = row(report, "Shanghai");
    CHECK(shanghai["registered"] == 2);  // Ann and Cat
    CHECK(shanghai["active"] == 2);
    CHECK(shanghai["merged"] == 2);
    CHECK(shanghai["merged_again"] == 1);      // Ann
    CHECK(shanghai["new_contributors"] == 1);  // Cat; Ann merged first in November
    CHECK(shanghai["retained_90"] == 0);
    CHECK(shanghai["merges"] == 2);
    const auto& none = row(report, "none");  // Dan: no city, active through a judged score
    CHECK(none["registered"] == 1);
    CHECK(none["active"] == 1);
    CHECK(none["merged"] == 0);
    const auto& outsider = row(report, "not_member");  // Bob, in both contests, counted once
    CHECK(outsider["registered"] == 1);
    CHECK(outsider["new_contributors"] == 1);
    CHECK(outsider["retained_30"] == 0);
    CHECK(outsider["retained_90"] == 1);
    const auto& unregistered = row(report, "unregistered");
    CHECK(unregistered["new_contributors"] == 1);
    CHECK(unregistered["merges"] == 1);

    CHECK(report["totals"]["registered"] == 4);
    CHECK(report["totals"]["merges"] == 5);
    CHECK(report["funnel"]["merged"] == 3);
    CHECK(report["funnel"]["merged_again"] == 2);
    CHECK(report["funnel"]["registered_to_merged"] == 0.75);
    CHECK(report["retention"]["new_contributors"] == 3);
    CHECK(report["retention"]["rate_30"] == 0.333);
    CHECK(report["retention"]["rate_90"] == 0.667);

    const auto& wait = report["time_to_first_merge"];
    CHECK(wait["members"] == 3);
    CHECK(wait["measured"] == 1);  // Cat: 102 h from signing up
    CHECK(wait["median_hours"] == 102.0);
    CHECK(wait["merged_before_registering"] == 1);  // Ann
    CHECK(wait["not_merged_yet"] == 1);             // Dan

    REQUIRE(report["daily"]["days"].size() == 21);
    CHECK(report["daily"]["chapters"]["Beijing"][1] == 1);
    CHECK(report["daily"]["chapters"]["Shanghai"][15] == 1);
    CHECK(operations_csv(report).find("Shanghai,Shanghai,2,2,2,1,1,0,0,2\r\n") != std::string::npos);
}

TEST_CASE("a season's figures while it runs, and a chapter named like a row of its own") {
    auto cfg = season_config();
    auto in = history(cfg, at("2026-12-05T12:00:00Z"));
    auto running = season_operations(in);
    CHECK(running["daily"]["days"].size() == 5);
    CHECK(running["retention_complete"]["90"] == false);
    CHECK(row(running, "Beijing")["registered"] == 1);  // Ann has not moved yet

    auto named = records();
    named["MSG-000002"] = *read_member_facts(R"({"memberships": [{"kind": "city", "chapter": "none", "since": 0}]})");
    in.people = season_people(entries(cfg), named);
    auto report = season_operations(in);
    CHECK(row(report, "chapter:none")["registered"] == 1);  // Cat
    CHECK(row(report, "chapter:none")["name"]["en"] == "none");
    CHECK(row(report, "none")["registered"] == 1);  // Dan
}
