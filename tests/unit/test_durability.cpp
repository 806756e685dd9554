#include <doctest/doctest.h>

#include "durability.hpp"

using namespace lb::engine;

namespace {

redis_persistence settings(const char* appendonly, const char* appendfsync) {
    return read_persistence(std::string(appendonly), std::string(appendfsync), "");
}

std::string info(long long current, long long buffered, long long rewrites = 0, int enabled = 1) {
    return "# Persistence\r\naof_enabled:" + std::to_string(enabled) + "\r\naof_rewrites:" + std::to_string(rewrites) +
           "\r\naof_current_size:" + std::to_string(current) + "\r\naof_buffer_length:" + std::to_string(buffered) + "\r\n";
}

}  // namespace

TEST_CASE("appendfsync always: the answer itself vouches for a Redis crash and a power loss, in either mode") {
    for (auto mode : {durability_mode::exact, durability_mode::relaxed}) {
        auto s = what_survives(settings("yes", "always"), mode);
        CHECK(s.how == acknowledgement::applied);
        CHECK((s.server_crash && s.redis_crash && s.power_loss));
    }
}

TEST_CASE("everysec: exact waits for the AOF write and keeps a Redis crash; relaxed answers at once and does not") {
    auto exact = what_survives(settings("yes", "everysec"), durability_mode::exact);
    CHECK(exact.how == acknowledgement::once_written);
    CHECK((exact.server_crash && exact.redis_crash && !exact.power_loss));
    CHECK(exact.summary.find("appendfsync everysec") != std::string::npos);
    auto relaxed = what_survives(settings("yes", "everysec"), durability_mode::relaxed);
    CHECK(relaxed.how == acknowledgement::applied);
    CHECK((relaxed.server_crash && !relaxed.redis_crash && !relaxed.power_loss));
    CHECK(what_survives(settings("yes", "no"), durability_mode::exact).how == acknowledgement::once_written);
}

TEST_CASE("no AOF: exact answers from the spool, relaxed keeps nothing through a Redis crash") {
    auto exact = what_survives(settings("no", "everysec"), durability_mode::exact);
    CHECK(exact.how == acknowledgement::spooled);
    CHECK((exact.redis_crash && exact.power_loss));
    CHECK(exact.summary.find("appendonly no") != std::string::npos);
    auto relaxed = what_survives(settings("no", "always"), durability_mode::relaxed);
    CHECK((relaxed.how == acknowledgement::applied && !relaxed.redis_crash && !relaxed.power_loss));
}

TEST_CASE("a managed Redis that refuses CONFIG: INFO tells whether the AOF is on, the fsync policy stays unknown") {
    auto refused = read_persistence(std::nullopt, std::nullopt, info(10, 0), "ERR unknown command 'CONFIG'");
    CHECK(refused.known);
    CHECK(refused.aof);
    CHECK(refused.fsync == fsync_policy::unknown);
    auto s = what_survives(refused, durability_mode::exact);
    CHECK(s.how == acknowledgement::once_written);
    CHECK(s.summary.find("ERR unknown command") != std::string::npos);
    auto nothing = read_persistence(std::nullopt, std::nullopt, "", "NOPERM");
    CHECK_FALSE(nothing.known);
    CHECK(what_survives(nothing, durability_mode::exact).how == acknowledgement::once_written);
    CHECK(what_survives(nothing, durability_mode::relaxed).how == acknowledgement::applied);
}

TEST_CASE("the AOF write check: an empty buffer, a file that reached the mark, a rewrite in between") {
    using state = write_check::state;
    auto first = check_written(std::nullopt, info(1000, 0));
    CHECK(first.is == state::written);
    auto pending = check_written(std::nullopt, info(1000, 250, 3));
    REQUIRE(pending.is == state::waiting);
    CHECK(pending.mark.end == 1250);
    CHECK(check_written(pending.mark, info(1200, 400, 3)).is == state::waiting);  // later writes fill the buffer
    CHECK(check_written(pending.mark, info(1250, 90, 3)).is == state::written);
    CHECK(check_written(pending.mark, info(1100, 0, 3)).is == state::written);
    // A rewrite finished: the file's size starts again; the mark is set anew from that answer.
    auto remarked = check_written(pending.mark, info(300, 50, 4));
    REQUIRE(remarked.is == state::waiting);
    CHECK(remarked.mark.end == 350);
    CHECK(remarked.mark.rewrites == 4);
    CHECK(check_written(remarked.mark, info(360, 10, 4)).is == state::written);
    CHECK(check_written(std::nullopt, info(0, 0, 0, 0)).is == state::unavailable);
    CHECK(check_written(std::nullopt, "aof_enabled:1\r\naof_current_size:12x\r\naof_buffer_length:0\r\n").is == state::unavailable);
    CHECK(check_written(std::nullopt, "").is == state::unavailable);
}

TEST_CASE("the quick decision agrees with the described one for every setting") {
    for (const auto* appendonly : {"yes", "no"})
        for (const auto* fsync : {"always", "everysec", "no", "maybe"})
            for (auto mode : {durability_mode::exact, durability_mode::relaxed}) {
                auto p = settings(appendonly, fsync);
                CHECK(acknowledgement_for(p, mode) == what_survives(p, mode).how);
            }
    CHECK(acknowledgement_for({}, durability_mode::exact) == what_survives({}, durability_mode::exact).how);
}

TEST_CASE("INFO fields are read whole") {
    CHECK(info_number("aof_enabled:1\r\naof_enabled_x:7\r\n", "aof_enabled") == 1);
    CHECK(info_number("aof_enabled_x:7\r\n", "aof_enabled") == std::nullopt);
    CHECK(info_number("x:1\nlast:42", "last") == 42);
    CHECK(info_number("last:", "last") == std::nullopt);
}
