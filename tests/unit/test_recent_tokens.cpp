#include <doctest/doctest.h>

#include "recent_tokens.hpp"

using lb::webhooks::recent_tokens;

TEST_CASE("a Gitee token pair is accepted once until its time to live has passed") {
    recent_tokens seen;
    CHECK(seen.first_use("a", 1000, 500));
    CHECK_FALSE(seen.first_use("a", 1200, 500));
    CHECK(seen.first_use("b", 1300, 500));
    CHECK_FALSE(seen.first_use("a", 1500, 500));  // kept through its expiry moment
    CHECK(seen.first_use("a", 1501, 500));        // then accepted again, and kept anew
    CHECK_FALSE(seen.first_use("b", 1800, 500));
    CHECK(seen.first_use("b", 1801, 500));
    CHECK_FALSE(seen.first_use("a", 1900, 500));
}

TEST_CASE("expired pairs are let go as time passes, and the oldest first past the capacity") {
    recent_tokens seen(1000);
    for (int i = 0; i < 1000; ++i) CHECK(seen.first_use("k" + std::to_string(i), i, 10000));
    CHECK(seen.size() == 1000);
    CHECK(seen.first_use("late", 5000, 10000));  // at capacity: the oldest pair goes
    CHECK(seen.size() == 1000);
    CHECK(seen.first_use("k0", 5000, 10000));
    CHECK_FALSE(seen.first_use("k999", 5000, 10000));
    CHECK(seen.first_use("fresh", 20000, 10000));  // every earlier pair expired by 15,000 ms
    CHECK(seen.size() == 1);
}
