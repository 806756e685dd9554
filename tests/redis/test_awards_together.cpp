#include <doctest/doctest.h>

#include <map>

#include "award_store.hpp"
#include "store_test_contest.hpp"
#include "submission_store.hpp"
#include "test_redis.hpp"
#include "tie_order.hpp"

using namespace lb::engine;
using namespace lb::test;

namespace {

// Every key of the contest as text: sorted sets with scores, hashes and sets sorted, streams
// without their ids (two stores written at different moments agree on everything else).
std::map<std::string, std::string> snapshot(sync_redis& redis, const contest& c) {
    std::map<std::string, std::string> out;
    for (const auto& key : redis.run({"KEYS", keys::prefix(c.id) + "*"}).elements) {
        auto type = redis.run({"TYPE", key.text}).text;
        std::vector<std::string> parts;
        if (type == "zset") {
            for (const auto& e : redis.run({"ZRANGE", key.text, "0", "-1", "WITHSCORES"}).elements) parts.push_back(e.text);
        } else if (type == "hash") {
            auto fields = redis.run({"HGETALL", key.text}).elements;
            for (std::size_t i = 0; i + 1 < fields.size(); i += 2) parts.push_back(fields[i].text + "=" + fields[i + 1].text);
            std::sort(parts.begin(), parts.end());
        } else if (type == "set") {
            for (const auto& e : redis.run({"SMEMBERS", key.text}).elements) parts.push_back(e.text);
            std::sort(parts.begin(), parts.end());
        } else if (type == "stream") {
            for (const auto& entry : redis.run({"XRANGE", key.text, "-", "+"}).elements)
                for (const auto& field : entry.elements.at(1).elements) parts.push_back(field.text);
        } else {
            parts.push_back(redis.run({"GET", key.text}).text);
        }
        std::string text = type;
        for (const auto& part : parts) text += "\n" + part;
        out[key.text] = text;
    }
    return out;
}

std::vector<apply_result> apply_together(redis_executor& redis, const contest& c, std::vector<award> awards, apply_options options = {}) {
    std::vector<apply_result> out;
    award_store(redis).apply_together(c, std::move(awards), std::move(options), [&](std::vector<apply_result> r) { out = std::move(r); });
    return out;
}

award adjustment(const contest& c, const std::string& subject, const participant& p, centi points, unix_seconds offset) {
    award a;
    a.subject = subject;
    a.kind = "adjustment";
    a.component = "adjustments";
    a.participant = p.id;
    a.points = points;
    a.at = c.starts_at + offset;
    a.contributions = contributions_for(c, p, "adjustments", points, a.at);
    return a;
}

// Runs every command through a real connection and lets a reader look at the store between
// one call of the store and its next: where a reader coming at the worst moment would look.
struct watched_redis : redis_executor {
    sync_redis& inner;
    std::function<void()> between;
    watched_redis(sync_redis& redis, std::function<void()> look) : inner(redis), between(std::move(look)) {}
    void execute(std::vector<redis_command> commands, redis_batch_handler handler) override {
        inner.execute(std::move(commands), [&](std::vector<redis_value> replies) {
            between();
            handler(std::move(replies));
        });
    }
};

}  // namespace

TEST_CASE("awards given together land as the same awards one after another would") {
    sync_redis alone(fresh_database(14)), together(fresh_database(15));
    auto c = sample_contest();
    for (sync_redis* redis : {&alone, &together}) {
        apply(*redis, c, make_pull_request_award(c, pr(1, "alice", {"bug"}, 60)));
        apply(*redis, c, make_pull_request_award(c, pr(2, "bob", {"documentation"}, 70)));
    }
    // The first PR changes hands (its old rows are asked for), the second loses its label, two
    // new ones share rows with them, one earlier than what alice has, and carol gets points.
    std::vector<award> awards{make_pull_request_award(c, pr(1, "bob", {"bug"}, 60, 300)),
                              make_pull_request_award(c, pr(2, "bob", {}, 70, 310)),
                              make_pull_request_award(c, pr(3, "alice", {"documentation"}, 200)),
                              make_pull_request_award(c, pr(4, "alice", {"bug"}, 30)),
                              adjustment(c, "adjustment:help", c.participants[2], 250, 400)};
    for (const auto& a : awards) CHECK(apply(alone, c, a).outcome == apply_outcome::applied);
    auto results = apply_together(together, c, awards);
    REQUIRE(results.size() == awards.size());
    for (const auto& result : results) {
        CHECK(result.outcome == apply_outcome::applied);
        CHECK_FALSE(result.log_id.empty());
    }
    CHECK(snapshot(together, c) == snapshot(alone, c));
    CHECK(points_of(board(together, c, "participants"), "bob") == 1100 + 100);
    CHECK(points_of(board(together, c, "teams"), "shanghai") == 1200 + 1400);

    // Again: every one unchanged, nothing logged; an older one among newer ones is stale alone.
    auto log = log_length(together, c);
    for (const auto& result : apply_together(together, c, awards)) CHECK(result.outcome == apply_outcome::unchanged);
    std::vector<award> mixed{make_pull_request_award(c, pr(1, "bob", {"bug"}, 60, 100)),
                             make_pull_request_award(c, pr(5, "carol", {"bug"}, 500))};
    auto mixed_results = apply_together(together, c, mixed);
    REQUIRE(mixed_results.size() == 2);
    CHECK(mixed_results[0].outcome == apply_outcome::stale);
    CHECK(mixed_results[1].outcome == apply_outcome::applied);
    CHECK(log_length(together, c) == log + 1);
}

TEST_CASE("one award out of range, or a subject given twice, stops them all: nothing is written") {
    sync_redis redis(fresh_database(16));
    auto c = sample_contest();
    CHECK(apply(redis, c, adjustment(c, "adjustment:big", c.participants[2], max_abs_total_centi, 0)).outcome == apply_outcome::applied);
    auto before = snapshot(redis, c);
    std::vector<award> awards{make_pull_request_award(c, pr(1, "alice", {"bug"}, 60)),
                              adjustment(c, "adjustment:more", c.participants[2], 1, 10)};
    apply_options options;
    options.delivery_key = "github:sheet-1";
    for (const auto& result : apply_together(redis, c, awards, options)) {
        CHECK(result.outcome == apply_outcome::refused);
        CHECK(result.error.find("out of range for participants carol") != std::string::npos);
    }
    CHECK(snapshot(redis, c) == before);  // alice's PR included, and the delivery id given back

    // Awards each within range alone that together would leave it.
    std::vector<award> halves{adjustment(c, "adjustment:half-1", c.participants[2], -max_abs_total_centi, 10),
                              adjustment(c, "adjustment:half-2", c.participants[2], -max_abs_total_centi, 20),
                              adjustment(c, "adjustment:half-3", c.participants[2], -max_abs_total_centi, 30)};
    for (const auto& result : apply_together(redis, c, halves)) CHECK(result.outcome == apply_outcome::refused);
    CHECK(snapshot(redis, c) == before);

    auto twice = awards;
    twice[1] = twice[0];
    twice[1].points = 5;
    for (const auto& result : apply_together(redis, c, twice)) {
        CHECK(result.outcome == apply_outcome::failed);
        CHECK(result.error.find("given twice") != std::string::npos);
    }
    CHECK(snapshot(redis, c) == before);
}

TEST_CASE("a verdict that moves the first bonus is seen whole or not at all") {
    sync_redis redis(fresh_database(17));
    sync_redis reader(fresh_database(17));
    auto c = sample_contest();
    c.models = {{"m1", {"M1", "M1"}, 500, "accuracy", 0.9, 0.01, 200}};
    c.build_indexes();
    auto participants = [&] {
        std::map<std::string, centi> rows;
        for (const auto& row : board(reader, c, "participants", false).rows) rows[row.id] = row.points;
        return rows;
    };
    std::vector<std::map<std::string, centi>> seen;
    watched_redis watched(redis, [&] { seen.push_back(participants()); });
    auto decide = [&](const submission& changed) {
        std::string error = "not called";
        decide_model(watched, c, c.models[0], &changed, "", [&](auto, auto, int, std::string e) { error = std::move(e); });
        CHECK(error.empty());
    };
    submission first;
    first.id = "s1";
    first.participant = "alice";
    first.model = "m1";
    first.submitted_at = c.starts_at + 60;
    first.verdict = "accepted";
    first.measured = 0.9;
    auto second = first;
    second.id = "s2";
    second.participant = "bob";
    second.submitted_at = c.starts_at + 120;
    decide(first);
    decide(second);
    std::map<std::string, centi> before{{"alice", 700}, {"bob", 500}};
    REQUIRE(participants() == before);

    // Rejecting alice's reproduction takes her points and gives bob the bonus: three awards
    // (alice's, bob's unchanged, the bonus). A reader between two calls of the store sees the
    // verdict before or after, never alice without her reproduction but still with the bonus.
    seen.clear();
    first.verdict = "rejected";
    decide(first);
    std::map<std::string, centi> after{{"bob", 700}};
    CHECK(participants() == after);
    REQUIRE_FALSE(seen.empty());
    for (const auto& rows : seen) CHECK((rows == before || rows == after));
}
