#include <doctest/doctest.h>

#include "standings.hpp"

using namespace lb::engine;

namespace {

contest sample() {
    contest c;
    c.id = "geekweek";
    c.teams = {{"shanghai", {"Shanghai", "上海"}, team_kind::city}};
    c.participants = {{"alice", "=HYPERLINK(\"x\")", {{"github", "alice"}}, "", {"shanghai"}}, {"bob", "Bob, Jr.", {{"github", "bob"}}, "", {}}};
    c.build_indexes();
    return c;
}

}  // namespace

TEST_CASE("standings JSON carries the contract fields") {
    auto c = sample();
    standings_page page{"participants", 1796054400, false, 2, {{1, "alice", 1100, 1796058000}, {2, "bob", 2625, 1796058001}}};
    auto j = nlohmann::json::parse(standings_to_json(c, page));
    CHECK(j["contest"] == "geekweek");
    CHECK(j["board"] == "participants");
    CHECK(j["frozen"] == false);
    CHECK(j["total"] == 2);
    CHECK(j["generated_at"] == "2026-11-30T16:00:00Z");
    CHECK(j["rows"][0]["points"].dump() == "11");
    CHECK(j["rows"][1]["points"].dump() == "26.25");
    CHECK(j["rows"][0]["teams"]["city"] == "shanghai");
    CHECK(j["rows"][0]["reached_at"] == "2026-11-30T17:00:00Z");
}

TEST_CASE("the export writes each row exactly as the live frames do, escaping names") {
    auto c = sample();
    c.participants.push_back({"carol", "Ca\"rol\\ \n 陈", {{"github", "carol"}}, "", {"shanghai"}});
    c.teams.push_back({"zju", {"Zhejiang \"U\"", "浙江大学"}, team_kind::school});
    c.participants.back().teams.push_back("zju");
    c.build_indexes();
    standings_page people{"participants", 0, true, 3, {{1, "carol", 2625, 1796058000}, {2, "alice", -50, 1796058001}, {3, "bob", 0, 0}}};
    auto parsed = nlohmann::json::parse(standings_to_json(c, people));
    REQUIRE(parsed["rows"].size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(parsed["rows"][i] == standings_row_to_json(c, "participants", people.rows[i]));
    CHECK(parsed["frozen"] == true);
    CHECK(parsed["rows"][0]["name"] == "Ca\"rol\\ \n 陈");
    standings_page teams{"teams", 0, false, 2, {{1, "zju", 100, 1796058000}, {2, "shanghai", 100, 1796058000}}};
    auto team_rows = nlohmann::json::parse(standings_to_json(c, teams))["rows"];
    for (std::size_t i = 0; i < 2; ++i) CHECK(team_rows[i] == standings_row_to_json(c, "teams", teams.rows[i]));
}

TEST_CASE("standings CSV quotes separators and defuses formulas") {
    auto c = sample();
    standings_page page{"participants", 0, false, 2, {{1, "alice", 1100, 1796058000}, {2, "bob", 100, 1796058000}}};
    auto csv = standings_to_csv(c, page);
    CHECK(csv == "rank,id,name,points,reached_at,city,school,company\r\n"
                 "1,alice,\"'=HYPERLINK(\"\"x\"\")\",11,2026-11-30T17:00:00Z,shanghai,,\r\n"
                 "2,bob,\"Bob, Jr.\",1,2026-11-30T17:00:00Z,,,\r\n");
    standings_page teams{"teams:city", 0, false, 1, {{1, "shanghai", 1100, 1796058000}}};
    CHECK(standings_to_csv(c, teams) == "rank,id,name,points,reached_at,kind\r\n1,shanghai,Shanghai,11,2026-11-30T17:00:00Z,city\r\n");
    // A TAB or CR before a formula makes some spreadsheets run it too.
    c.participants = {{"tab", "\t=1+1", {}, "", {}}, {"cr", "\r@SUM(A1)", {}, "", {}}, {"plus", "+1", {}, "", {}}};
    c.build_indexes();
    standings_page odd{"participants", 0, false, 3, {{1, "tab", 100, 1796058000}, {2, "cr", 100, 1796058000}, {3, "plus", 100, 1796058000}}};
    auto lines = standings_to_csv(c, odd);
    CHECK(lines.find(",\"'\t=1+1\",") != std::string::npos);
    CHECK(lines.find(",\"'\r@SUM(A1)\",") != std::string::npos);
    CHECK(lines.find(",\"'+1\",") != std::string::npos);
}

TEST_CASE("stream ids for resuming the event log") {
    CHECK(valid_stream_id("1764547200000-0"));
    CHECK(valid_stream_id("1764547200000"));
    CHECK_FALSE(valid_stream_id("abc"));
    CHECK_FALSE(valid_stream_id("1-"));
    CHECK_FALSE(valid_stream_id("-1"));
    CHECK_FALSE(valid_stream_id(""));
}
