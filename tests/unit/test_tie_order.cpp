#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "tie_order.hpp"

using namespace lb::engine;

namespace {

const unix_seconds base = 1796054400;

// Sorts (score, member) the way Redis' ZRANGE does: score, then member bytes.
std::vector<std::string> redis_order(std::vector<std::pair<double, std::string>> entries) {
    std::sort(entries.begin(), entries.end());
    std::vector<std::string> out;
    for (auto& e : entries) out.push_back(e.second);
    return out;
}

double score(centi points, unix_seconds reached) { return encode_rank_score({points, reached}, base).value(); }

}  // namespace

TEST_CASE("more points rank first, then earlier, then id") {
    auto order = redis_order({
        {score(1100, base + 50), "carol"},
        {score(1100, base + 10), "bob"},
        {score(2000, base + 99), "zed"},
        {score(1100, base + 10), "alice"},
        {score(-500, base + 1), "penalized"},
        {score(0, base + 1), "zero"},
    });
    CHECK(order == std::vector<std::string>{"zed", "alice", "bob", "carol", "zero", "penalized"});
}

TEST_CASE("scores decode back to points and time") {
    struct row { centi points; unix_seconds reached; };
    const row rows[] = {{0, base}, {1100, base + 1}, {-500, base + 77}, {max_abs_total_centi, base + time_slots - 1},
                        {-max_abs_total_centi, base + time_slots - 1}, {1, base}};
    for (const auto& r : rows) {
        CAPTURE(r.points);
        CAPTURE(r.reached);
        auto s = score(r.points, r.reached);
        CHECK(std::fabs(s) <= 9007199254740992.0);  // 2^53: every score is an exact double
        auto back = decode_rank_score(s, base);
        CHECK(back.points == r.points);
        CHECK(back.reached_at == r.reached);
    }
}

TEST_CASE("out-of-range points or times are refused, never rounded") {
    CHECK_FALSE(encode_rank_score({max_abs_total_centi + 1, base}, base));
    CHECK_FALSE(encode_rank_score({-max_abs_total_centi - 1, base}, base));
    CHECK_FALSE(encode_rank_score({100, base + time_slots}, base));
    CHECK_FALSE(time_fits(base + time_slots, base));
    // The widest score is still an integer a double holds exactly.
    CHECK(max_abs_total_centi * time_slots + (time_slots - 1) <= (std::int64_t{1} << 53));
    CHECK(time_slots > 400 * 86400);  // a 400-day contest's awards all fit, late ones too
    // Before the time base counts as reached at the base: still exact, never negative time.
    CHECK(decode_rank_score(score(100, base - 1000), base).reached_at == base);
}

TEST_CASE("adjacent values stay distinct at the extremes") {
    auto top = score(max_abs_total_centi, base + time_slots - 1);
    auto next = score(max_abs_total_centi, base + time_slots - 2);
    CHECK(next < top);
    CHECK(score(max_abs_total_centi - 1, base) > score(max_abs_total_centi, base + time_slots - 1));
}
