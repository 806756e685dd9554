#pragma once
// The contest, pull requests and reads the store tests share.
#include <doctest/doctest.h>

#include <algorithm>

#include "award_store.hpp"
#include "clock.hpp"
#include "scoring.hpp"
#include "standings.hpp"
#include "store_keys.hpp"
#include "sync_redis.hpp"

namespace lb::test {

using namespace lb::engine;

inline contest sample_contest(std::optional<unix_seconds> freeze_at = std::nullopt) {
    contest c;
    c.id = "store-test";
    c.starts_at = 1796054400;
    c.ends_at = c.starts_at + 7 * 86400;
    c.freeze_at = freeze_at;
    c.repos = {"github:example-org/framework"};
    c.teams = {{"shanghai", {"Shanghai", "上海"}, team_kind::city}, {"zju", {"ZJU", "浙江大学"}, team_kind::school}};
    c.participants = {{"alice", "Alice", {{"github", "alice"}}, "", {"shanghai", "zju"}},
                      {"bob", "Bob", {{"github", "bob"}}, "", {"shanghai"}},
                      {"carol", "Carol", {{"github", "carol"}}, "", {}}};
    c.pull_requests.enabled = true;
    c.pull_requests.base_points = 100;
    c.pull_requests.label_points = {{"bug", 1000}, {"documentation", 200}};
    c.build_indexes();
    return c;
}

inline pull_request_facts pr(long long number, std::string author, std::vector<std::string> labels, unix_seconds merged_offset,
                      unix_seconds updated_offset = 0) {
    pull_request_facts p;
    p.host = "github";
    p.repo = "example-org/framework";
    p.number = number;
    p.url = "https://github.com/example-org/framework/pull/" + std::to_string(number);
    p.title = "fix #" + std::to_string(number);
    p.author = std::move(author);
    p.labels = std::move(labels);
    p.merged = true;
    p.merged_at = 1796054400 + merged_offset;
    p.updated_at = 1796054400 + std::max(merged_offset, updated_offset);
    return p;
}

inline apply_result apply(redis_executor& redis, const contest& c, const award& a) {
    apply_result out;
    award_store(redis).apply(c, a, [&](apply_result r) { out = std::move(r); });
    return out;
}

inline standings_page board(redis_executor& redis, const contest& c, const std::string& name, bool public_view = true) {
    standings_page out;
    standings_query q;
    q.board = name;
    q.public_view = public_view;
    read_standings(redis, c, q, now_seconds(), [&](auto page, std::string error) {
        REQUIRE_MESSAGE(page, error);
        out = *page;
    });
    return out;
}

inline centi points_of(const standings_page& page, const std::string& id) {
    for (const auto& row : page.rows)
        if (row.id == id) return row.points;
    return -1;
}

inline long long log_length(sync_redis& redis, const contest& c) { return redis.run({"XLEN", keys::log(c.id)}).integer; }


}  // namespace lb::test
