#include <doctest/doctest.h>

#include "award.hpp"
#include "roster_rows.hpp"

using namespace lb::engine;

namespace {

roster sample() {
    return roster({{"shanghai", {"Shanghai", "上海"}, team_kind::city}, {"zju", {"ZJU", "浙江大学"}, team_kind::school}},
                  {{"alice", "Alice", {{"github", "alice"}}, "", {"shanghai"}}});
}

bool has(const std::vector<std::string>& errors, const std::string& text) {
    for (const auto& e : errors)
        if (e == text) return true;
    return false;
}

}  // namespace

TEST_CASE("participant import: every bad row is named and nothing is kept") {
    auto result = parse_participant_import(sample(), "text/csv",
                                           "id,name,github,teams\n"
                                           "bob,Bob,bob,shanghai;zju\n"
                                           "carl,Carl,ALICE,shanghai\n"
                                           "dan,,dan,\n"
                                           "eve,Eve,eve,mars\n"
                                           "bob,Bob again,bob2,\n");
    CHECK(has(result.errors, "line 3.github: login \"ALICE\" belongs to another participant"));
    CHECK(has(result.errors, "line 4.name: expected 1 to 200 bytes") == false);  // an empty cell is a missing field
    CHECK(has(result.errors, "line 4.name: is required"));
    CHECK(has(result.errors, "line 5.teams[0]: unknown team \"mars\""));
    CHECK(has(result.errors, "line 6.id: duplicate participant id \"bob\""));
    CHECK(result.participants.empty());
}

TEST_CASE("participant import: updating oneself keeps one's login; two teams of a kind are refused") {
    auto ok = parse_participant_import(sample(), "application/json", R"([{"id":"alice","name":"Alice L.","github":"alice","teams":["zju"]}])");
    CHECK(ok.errors.empty());
    REQUIRE(ok.participants.size() == 1);
    auto twice = parse_participant_import(
        roster({{"a", {"A", "A"}, team_kind::city}, {"b", {"B", "B"}, team_kind::city}}, {}), "application/json",
        R"([{"id":"x","name":"X","teams":["a","b"]}])");
    CHECK(has(twice.errors, "[0].teams[1]: a participant has at most one team of kind city"));
}

TEST_CASE("team import: a team keeps its kind; CSV names become localized") {
    auto changed = parse_team_import(sample(), "application/json", R"([{"id":"zju","name":"ZJU","kind":"city"}])");
    REQUIRE(changed.errors.size() == 1);
    CHECK(changed.errors[0].starts_with("[0].kind: team \"zju\" is a school team"));
    auto csv = parse_team_import(sample(), "text/csv", "id,name,name_zh,kind\nhz,Hangzhou,杭州,city\n");
    REQUIRE(csv.errors.empty());
    CHECK(csv.teams.at(0).name.zh == "杭州");
    CHECK(csv.teams.at(0).name.en == "Hangzhou");
    CHECK(parse_team_import(sample(), "application/json", "{}").errors.at(0).starts_with("(body): expected a JSON array"));
}

TEST_CASE("an import keeps a disqualification and a published roster answers lookups") {
    auto base = sample();
    auto people = base.participants();
    people[0].disqualified = true;
    roster with_ban(base.teams(), people);
    auto imported = parse_participant_import(with_ban, "application/json", R"([{"id":"alice","name":"Alice New","github":"alice","teams":["zju"]}])");
    REQUIRE(imported.errors.empty());
    auto merged = merge_roster(with_ban, {}, imported.participants);
    CHECK(merged.find_participant("alice")->disqualified);
    CHECK(merged.find_participant("alice")->name == "Alice New");
    contest c;
    c.teams = base.teams();
    c.build_indexes();
    const participant* before = c.find_participant("alice");
    CHECK(before == nullptr);
    c.publish_roster(merged, 0);
    CHECK(c.find_by_login("github", "ALICE")->id == "alice");
    CHECK(contributions_for(c, *c.find_participant("alice"), "adjustments", 500, c.starts_at).empty());  // disqualified: on no board
}
