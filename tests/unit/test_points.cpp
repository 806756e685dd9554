#include <doctest/doctest.h>

#include "fixed_points.hpp"

using namespace lb::engine;

TEST_CASE("points convert to exact hundredths") {
    CHECK(to_centi(11) == 1100);
    CHECK(to_centi(26.25) == 2625);
    CHECK(to_centi(-0.5) == -50);
    CHECK(to_centi(0.1 + 0.2) == 30);  // binary noise is not a third decimal
    CHECK_FALSE(to_centi(1.005));
    CHECK_FALSE(to_centi(1e12));
    CHECK(to_centi(1342177.27) == max_abs_total_centi);
    CHECK_FALSE(to_centi(1342177.28));
}

TEST_CASE("points format without trailing zeros") {
    CHECK(format_centi(1100) == "11");
    CHECK(format_centi(2625) == "26.25");
    CHECK(format_centi(2650) == "26.5");
    CHECK(format_centi(-50) == "-0.5");
    CHECK(format_centi(0) == "0");
}

TEST_CASE("weights round half away from zero") {
    CHECK(weighted(8750, 0.3) == 2625);
    CHECK(weighted(10000, 1.0) == 10000);
    CHECK(weighted(1, 0.5) == 1);
    CHECK(weighted(-1, 0.5) == -1);
}
