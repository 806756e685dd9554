#include <doctest/doctest.h>

#include "common/request_target.hpp"

using namespace lb::gateway;

TEST_CASE("targets split into decoded segments and query") {
    auto t = parse_target("/api/contests/geek%2Dweek/standings?board=teams%3Acity&limit=10&x");
    REQUIRE(t);
    CHECK(t->segments == std::vector<std::string>{"api", "contests", "geek-week", "standings"});
    CHECK(t->query.at("board") == "teams:city");
    CHECK(t->query.at("limit") == "10");
    CHECK(t->query.at("x").empty());
    CHECK(parse_target("/")->segments.empty());
    CHECK(parse_target("//a//b/")->segments == std::vector<std::string>{"a", "b"});
    CHECK(parse_target("/?q=a+b")->query.at("q") == "a b");
}

TEST_CASE("bad targets are refused") {
    for (const char* text : {"", "api/contests", "/a%zz", "/a%2", "/?q=%"}) {
        CAPTURE(text);
        CHECK_FALSE(parse_target(text));
    }
}

TEST_CASE("bounded integers") {
    CHECK(parse_bounded("10", 1, 100) == 10);
    CHECK_FALSE(parse_bounded("0", 1, 100));
    CHECK_FALSE(parse_bounded("101", 1, 100));
    CHECK_FALSE(parse_bounded("-1", 0, 100));
    CHECK_FALSE(parse_bounded("1e3", 0, 10000));
    CHECK_FALSE(parse_bounded("", 0, 10));
    CHECK_FALSE(parse_bounded("99999999999999999999999", 0, 10));
}
