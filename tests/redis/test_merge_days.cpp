// A window's merges read a day at a time (engine/store/merge_days.hpp) give exactly what the
// merges set holds, however and whenever the set changed.
#include <doctest/doctest.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "merge_activity.hpp"
#include "merge_days.hpp"
#include "test_redis.hpp"

using namespace lb::engine;

namespace {

constexpr unix_seconds day = 86400;
constexpr unix_seconds monday = 1796169600;  // 2026-12-01T00:00:00Z, a day's first second

pull_request_facts merged(long long number, std::string author, unix_seconds at) {
    pull_request_facts p;
    p.host = "github";
    p.repo = "example-org/framework";
    p.number = number;
    p.author = std::move(author);
    p.merged = true;
    p.merged_at = at;
    return p;
}

void record(sync_redis& redis, const pull_request_facts& pr) {
    redis.execute(record_merge_commands(pr), [](std::vector<redis_value> replies) {
        for (const auto& r : replies) REQUIRE_FALSE(r.is_error());
    });
}

struct read_result {
    std::vector<std::string> lines;  // "<at> <subject> <login>"
    std::string error = "not called";
};

read_result read(sync_redis& redis, unix_seconds from, unix_seconds to) {
    read_result out;
    auto kept = std::make_shared<std::deque<std::string>>();
    read_merges_between(
        redis, from, to, kept,
        [&](unix_seconds at, std::string_view subject, std::string_view login) {
            out.lines.push_back(std::to_string(at) + " " + std::string(subject) + " " + std::string(login));
        },
        [&](std::string error) { out.error = std::move(error); });
    return out;
}

std::string line(unix_seconds at, long long number, const std::string& author) {
    return std::to_string(at) + " github:example-org/framework#" + std::to_string(number) + " github:" + author;
}

}  // namespace

TEST_CASE("a window's merges come in time order, its edges inside days, days kept and read again") {
    sync_redis redis(lb::test::fresh_database(12));
    record(redis, merged(3, "carol", monday + 2 * day + 5));
    record(redis, merged(1, "alice", monday + 10));
    record(redis, merged(2, "bob", monday + day - 1));  // the last second of the first day
    record(redis, merged(4, "dave", monday + 3 * day));

    auto all = read(redis, monday, monday + 4 * day);
    CHECK(all.error.empty());
    CHECK(all.lines == std::vector<std::string>{line(monday + 10, 1, "alice"), line(monday + day - 1, 2, "bob"),
                                                line(monday + 2 * day + 5, 3, "carol"), line(monday + 3 * day, 4, "dave")});
    // A window starting and ending inside days leaves out what falls outside it.
    auto inside = read(redis, monday + 11, monday + 3 * day);
    CHECK(inside.lines == std::vector<std::string>{line(monday + day - 1, 2, "bob"), line(monday + 2 * day + 5, 3, "carol")});
    CHECK(read(redis, monday + 4 * day, monday + 9 * day).lines.empty());
    CHECK(read(redis, monday, monday).lines.empty());
    // Read twice: the days are kept as strings, and the second read is the same.
    CHECK(redis.run({"EXISTS", keys::merge_day(day_of(monday))}).integer == 1);
    CHECK(read(redis, monday, monday + 4 * day).lines == all.lines);
}

TEST_CASE("a kept day follows the set: a new merge, the same merge again, one moved to another day, one written past the store") {
    sync_redis redis(lb::test::fresh_database(13));
    record(redis, merged(1, "alice", monday + 100));
    CHECK(read(redis, monday, monday + 2 * day).lines.size() == 1);

    record(redis, merged(2, "bob", monday + 50));  // recording deletes its day's string
    CHECK(read(redis, monday, monday + 2 * day).lines == std::vector<std::string>{line(monday + 50, 2, "bob"), line(monday + 100, 1, "alice")});
    record(redis, merged(2, "bob", monday + 50));  // a redelivery changes nothing
    CHECK(read(redis, monday, monday + 2 * day).lines.size() == 2);

    // The host corrected a merge time to the next day: it leaves the first day's string too.
    record(redis, merged(1, "alice", monday + day + 7));
    CHECK(read(redis, monday, monday + 2 * day).lines == std::vector<std::string>{line(monday + 50, 2, "bob"), line(monday + day + 7, 1, "alice")});

    // A member added without the store (an older build, a hand fix): the count tells, the day is built again.
    read(redis, monday, monday + 2 * day);
    redis.run({"ZADD", keys::merges(), std::to_string(monday + 60), "github:example-org/framework#9 github:erin"});
    CHECK(read(redis, monday, monday + day).lines ==
          std::vector<std::string>{line(monday + 50, 2, "bob"), line(monday + 60, 9, "erin")});
}

TEST_CASE("a login with a line break is not recorded; a day of another shape and a failed read end with an error") {
    sync_redis redis(lb::test::fresh_database(13));
    CHECK(record_merge_commands(merged(1, "mallory\n1796169601 github:x#1 github:eve", monday)).empty());
    CHECK(record_merge_commands(merged(1, "tab\tname", monday)).empty());
    CHECK(record_merge_commands(merged(1, "alice", monday)).size() == 4);

    redis.run({"SET", keys::merge_day(day_of(monday)), "2\nnot a line"});
    redis.run({"ZADD", keys::merges(), std::to_string(monday + 1), "x y"});
    CHECK(read(redis, monday, monday + day).lines.size() == 1);  // the count differs from the set's: built again
    redis.run({"SET", keys::merge_day(day_of(monday)), "1\nnot a line"});
    auto odd = read(redis, monday, monday + day);
    CHECK(odd.error == "a day of merges has an unknown shape");

    redis.run({"DEL", keys::merges()});
    redis.run({"SET", keys::merges(), "a string"});
    auto failed = read(redis, monday, monday + day);
    CHECK(failed.error.find("WRONGTYPE") != std::string::npos);
    CHECK(failed.lines.empty());
}

TEST_CASE("a day's string: its shape, and the window applied to it") {
    std::vector<unix_seconds> seen;
    auto visit = [&](unix_seconds at, std::string_view, std::string_view) { seen.push_back(at); };
    CHECK(visit_merge_day("2\n10 github:o/r#1 github:a\n20 github:o/r#2 github:b c\n", 0, 100, visit));
    CHECK(seen == std::vector<unix_seconds>{10, 20});
    seen.clear();
    CHECK(visit_merge_day("2\n10 github:o/r#1 github:a\n20 github:o/r#2 github:b\n", 11, 20, visit));
    CHECK(seen.empty());
    CHECK(visit_merge_day("0\n", 0, 100, visit));
    CHECK_FALSE(visit_merge_day("", 0, 100, visit));
    CHECK_FALSE(visit_merge_day("x\n", 0, 100, visit));
    CHECK_FALSE(visit_merge_day("1\n10 github:o/r#1 github:a", 0, 100, visit));  // no line end
    CHECK_FALSE(visit_merge_day("1\nten github:o/r#1 github:a\n", 0, 100, visit));
    CHECK_FALSE(visit_merge_day("1\n10 github:o/r#1\n", 0, 100, visit));
    CHECK(seen.empty());
    CHECK(day_of(0) == 0);
    CHECK(day_of(day - 1) == 0);
    CHECK(day_of(-1) == -1);
    CHECK(day_of(-day) == -1);
    CHECK(day_of(monday) * day == monday);
}
