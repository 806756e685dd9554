#include <doctest/doctest.h>

#include <random>

#include "award_store.hpp"
#include "recompute.hpp"
#include "standings.hpp"
#include "store_keys.hpp"
#include "test_redis.hpp"

using namespace lb::engine;

namespace {

contest make_contest() {
    contest c;
    c.id = "recompute-test";
    c.starts_at = 1796054400;
    c.ends_at = c.starts_at + 30 * 86400;
    c.repos = {"github:org/repo"};
    for (int t = 0; t < 4; ++t)
        c.teams.push_back({"city" + std::to_string(t), {"City", "城"}, team_kind::city});
    c.teams.push_back({"school0", {"School", "校"}, team_kind::school});
    for (int p = 0; p < 40; ++p) {
        std::vector<std::string> teams{"city" + std::to_string(p % 4)};
        if (p % 3 == 0) teams.push_back("school0");
        c.participants.push_back({"p" + std::to_string(p), "P" + std::to_string(p), {{"github", "login" + std::to_string(p)}}, "", teams});
    }
    c.pull_requests.enabled = true;
    c.pull_requests.base_points = 100;
    c.pull_requests.label_points = {{"bug", 1000}, {"docs", 200}};
    c.build_indexes();
    return c;
}

std::string every_board(redis_executor& redis, const contest& c) {
    std::string out;
    for (const auto& b : c.boards()) {
        standings_query q;
        q.board = b;
        q.limit = max_standings_limit;
        read_standings(redis, c, q, 0, [&](auto page, std::string error) {
            REQUIRE_MESSAGE(page, error);
            out += standings_to_csv(c, *page);
        });
    }
    return out;
}

void random_history(redis_executor& redis, const contest& c, unsigned seed) {
    std::mt19937 random(seed);
    const std::vector<std::vector<std::string>> label_sets{{}, {"bug"}, {"docs"}, {"bug", "docs"}};
    award_store store(redis);
    for (int i = 0; i < 400; ++i) {
        pull_request_facts pr;
        pr.host = "github";
        pr.repo = "org/repo";
        pr.number = random() % 150;  // repeats: relabels of the same PR
        pr.author = "login" + std::to_string(random() % 45);  // some authors are unregistered
        pr.labels = label_sets[random() % label_sets.size()];
        pr.merged = random() % 10 != 0;
        pr.merged_at = c.starts_at + static_cast<long long>(random() % 86400);
        pr.updated_at = c.starts_at + i;
        store.apply(c, make_pull_request_award(c, pr), [](apply_result r) {
            CHECK(r.outcome != apply_outcome::failed);
        });
    }
}

}  // namespace

TEST_CASE("recompute rebuilds byte-identical standings from the ledger") {
    sync_redis redis(lb::test::fresh_database(20));
    auto c = make_contest();
    random_history(redis, c, 42);
    auto live = every_board(redis, c);
    REQUIRE(live.size() > 500);
    auto dry = recompute(redis, c, true);
    CHECK(dry.changes.empty());
    CHECK(dry.rederived == 0);
    for (const auto& pattern : {"board:*", "pts:*", "ctr:*"}) {
        auto found = redis.run({"KEYS", keys::prefix(c.id) + pattern});
        for (const auto& key : found.elements) redis.run({"DEL", key.text});
    }
    CHECK(every_board(redis, c) != live);
    auto report = recompute(redis, c, false);
    CHECK(report.awards > 100);
    CHECK(every_board(redis, c) == live);
}

TEST_CASE("recompute after a rules change: dry run lists, then applies; later awards stay consistent") {
    sync_redis redis(lb::test::fresh_database(21));
    auto c = make_contest();
    random_history(redis, c, 7);
    auto before = every_board(redis, c);
    c.pull_requests.label_points["docs"] = 500;
    auto dry = recompute(redis, c, true);
    CHECK_FALSE(dry.changes.empty());
    CHECK(dry.rederived > 0);
    CHECK(every_board(redis, c) == before);  // dry run wrote nothing
    recompute(redis, c, false);
    CHECK(recompute(redis, c, true).changes.empty());
    // Live application continues from the rebuilt state exactly as a fresh history would.
    auto rebuilt = every_board(redis, c);
    sync_redis fresh(lb::test::fresh_database(22));
    random_history(fresh, c, 7);
    CHECK(every_board(fresh, c) == rebuilt);
}
