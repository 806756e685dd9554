#include <doctest/doctest.h>

#include "award.hpp"
#include "team_moves.hpp"

using namespace lb::engine;

namespace {

contest two_cities() {
    contest c;
    c.id = "moves";
    c.starts_at = 1000;
    c.ends_at = 100000;
    c.teams = {{"sh", {"Shanghai", "上海"}, team_kind::city},
               {"bj", {"Beijing", "北京"}, team_kind::city},
               {"pku", {"PKU", "北京大学"}, team_kind::school}};
    c.participants = {{"li", "Li Lei", {{"github", "li-lei"}}, "", {"sh", "pku"}}};
    c.build_indexes();
    return c;
}

std::vector<std::string> boards_of(const std::vector<contribution>& parts) {
    std::vector<std::string> out;
    for (const auto& part : parts) out.push_back(part.board + " " + part.member);
    return out;
}

}  // namespace

TEST_CASE("a chapter is the contest's team of its kind named so, by id or either name, ASCII letters in any case") {
    auto c = two_cities();
    CHECK(team_named(c.teams, team_kind::city, "北京")->id == "bj");
    CHECK(team_named(c.teams, team_kind::city, "beijing")->id == "bj");
    CHECK(team_named(c.teams, team_kind::city, "SH")->id == "sh");
    CHECK(team_named(c.teams, team_kind::city, "北京大学") == nullptr);  // a school, not a city
    CHECK(team_named(c.teams, team_kind::school, "北京大学")->id == "pku");
    CHECK(team_named(c.teams, team_kind::city, "Hangzhou") == nullptr);
    CHECK(team_named(c.teams, team_kind::city, "") == nullptr);
}

TEST_CASE("every membership after a kind's first is a move, in time order, to its team or to none") {
    auto c = two_cities();
    std::vector<membership> memberships{{"city", "Beijing", 5000, std::nullopt},
                                        {"school", "PKU", 1000, std::nullopt},
                                        {"city", "Shanghai", 2000, 3000},
                                        {"city", "Hangzhou", 3000, 5000}};
    auto moves = team_moves(c.teams, memberships);
    REQUIRE(moves.size() == 2);
    CHECK(moves[0] == team_move{team_kind::city, "", 3000});  // Hangzhou is no team here
    CHECK(moves[1] == team_move{team_kind::city, "bj", 5000});
    CHECK(team_moves(c.teams, {{"city", "Shanghai", 2000, std::nullopt}}).empty());  // never moved
}

TEST_CASE("points land on the team of the time: the roster's before a move, the new one from its instant on") {
    auto c = two_cities();
    auto li = *c.find_participant("li");
    li.moves = {{team_kind::city, "", 3000}, {team_kind::city, "bj", 5000}};
    CHECK(teams_at(c, li, 2999) == std::vector<std::string>{"sh", "pku"});
    CHECK(teams_at(c, li, 3000) == std::vector<std::string>{"pku"});  // in a city the contest has no team of
    CHECK(teams_at(c, li, 5000) == std::vector<std::string>{"pku", "bj"});
    CHECK(boards_of(contributions_for(c, li, "adjustments", 500, 6000)) ==
          std::vector<std::string>{"participants li", "teams pku", "teams:school pku", "teams bj", "teams:city bj"});
    CHECK(boards_of(contributions_for(c, li, "adjustments", 500, 1500)) ==
          std::vector<std::string>{"participants li", "teams sh", "teams:city sh", "teams pku", "teams:school pku"});
    // A move back to the roster's team lists it once.
    li.moves.push_back({team_kind::city, "sh", 7000});
    CHECK(teams_at(c, li, 8000) == std::vector<std::string>{"pku", "sh"});
}

TEST_CASE("a member's participant: the one naming their id, else the one with their login unless it names another") {
    contest c = two_cities();
    c.participants = {{"li", "Li Lei", {{"github", "li-lei"}}, "", {}}, {"han", "Han", {{"github", "hanmei"}}, "GW-000002", {}}, {"x", "X", {{"gitee", "xx"}}, "GW-000003", {}}};
    c.build_indexes();
    CHECK(participant_of_person(c.members(), "GW-000001", {{"github", "LI-LEI"}})->id == "li");
    CHECK(participant_of_person(c.members(), "GW-000001", {{"github", "hanmei"}}) == nullptr);  // han is another person
    CHECK(participant_of_person(c.members(), "GW-000003", {})->id == "x");
    CHECK(participant_of_person(c.members(), "GW-000009", {{"github", "nobody"}, {"gitee", "nobody"}}) == nullptr);
}
