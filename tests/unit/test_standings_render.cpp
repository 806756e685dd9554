#include <doctest/doctest.h>

#include "standings.hpp"

using namespace lb::engine;

namespace {

contest sample() {
    contest c;
    c.id = "geekweek";
    c.teams = {{"shanghai", {"Shanghai", "上海"}, team_kind::city}};
    c.participants = {{"alice", "=HYPERLINK(\"x\")", "alice", "", {"shanghai"}}, {"bob", "Bob, Jr.", "bob", "", {}}};
    c.build_indexes();
    return c;
}

}  // namespace

TEST_CASE("standings JSON carries the contract fields") {
    auto c = sample();
    standings_page page{"participants", 1796054400, false, 2, {{1, "alice", 1100, 1796058000}, {2, "bob", 2625, 1796058001}}};
    auto j = standings_to_json(c, page);
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

TEST_CASE("standings CSV quotes separators and defuses formulas") {
    auto c = sample();
    standings_page page{"participants", 0, false, 2, {{1, "alice", 1100, 1796058000}, {2, "bob", 100, 1796058000}}};
    auto csv = standings_to_csv(c, page);
    CHECK(csv == "rank,id,name,points,reached_at,city,school,company\r\n"
                 "1,alice,\"'=HYPERLINK(\"\"x\"\")\",11,2026-11-30T17:00:00Z,shanghai,,\r\n"
                 "2,bob,\"Bob, Jr.\",1,2026-11-30T17:00:00Z,,,\r\n");
    standings_page teams{"teams:city", 0, false, 1, {{1, "shanghai", 1100, 1796058000}}};
    CHECK(standings_to_csv(c, teams) == "rank,id,name,points,reached_at,kind\r\n1,shanghai,Shanghai,11,2026-11-30T17:00:00Z,city\r\n");
}

TEST_CASE("stream ids for resuming the event log") {
    CHECK(valid_stream_id("1764547200000-0"));
    CHECK(valid_stream_id("1764547200000"));
    CHECK_FALSE(valid_stream_id("abc"));
    CHECK_FALSE(valid_stream_id("1-"));
    CHECK_FALSE(valid_stream_id("-1"));
    CHECK_FALSE(valid_stream_id(""));
}
