#include <doctest/doctest.h>

#include "rfc3339.hpp"

using namespace lb::engine;

TEST_CASE("RFC 3339 times with offsets parse to the same instant") {
    struct row { const char* text; long long expected; };
    const row rows[] = {
        {"2026-12-01T00:00:00+08:00", 1796054400},
        {"2026-11-30T16:00:00Z", 1796054400},
        {"2026-11-30T16:00:00.123456Z", 1796054400},
        {"2026-11-30T11:00:00-05:00", 1796054400},
        {"1970-01-01T00:00:00Z", 0},
        {"2024-02-29T12:00:00Z", 1709208000},
    };
    for (const auto& r : rows) {
        CAPTURE(r.text);
        auto parsed = parse_rfc3339(r.text);
        REQUIRE(parsed);
        CHECK(*parsed == r.expected);
    }
}

TEST_CASE("malformed or offset-less times are refused") {
    for (const char* text : {"2026-12-01T00:00:00", "2026-12-01", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                             "2025-02-29T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T00:00:00+8:00",
                             "2026-12-01T00:00:00Zjunk", "", "not a time"}) {
        CAPTURE(text);
        CHECK_FALSE(parse_rfc3339(text));
    }
}

TEST_CASE("formatting is UTC and round-trips") {
    CHECK(format_rfc3339(1796054400) == "2026-11-30T16:00:00Z");
    CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
    for (long long t : {0LL, 951782400LL, 1709208000LL, 1796054399LL, 4102444800LL}) {
        CAPTURE(t);
        CHECK(parse_rfc3339(format_rfc3339(t)) == t);
    }
}
