#include <doctest/doctest.h>

#include <algorithm>
#include <thread>

#include "award_store.hpp"
#include "batched_reads.hpp"
#include "standings.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"
#include "store_test_contest.hpp"
#include "test_redis.hpp"
#include "clock.hpp"

using namespace lb::engine;
using namespace lb::test;

TEST_CASE("an award moves the participant, team and component boards; the same award again changes nothing") {
    sync_redis redis(lb::test::fresh_database(1));
    auto c = sample_contest();
    auto a = make_pull_request_award(c, pr(1, "alice", {"bug"}, 60));
    CHECK(apply(redis, c, a).outcome == apply_outcome::applied);
    CHECK(apply(redis, c, a).outcome == apply_outcome::unchanged);
    CHECK(points_of(board(redis, c, "participants"), "alice") == 1100);
    CHECK(points_of(board(redis, c, "teams"), "shanghai") == 1100);
    CHECK(points_of(board(redis, c, "teams:city"), "shanghai") == 1100);
    CHECK(points_of(board(redis, c, "teams:school"), "zju") == 1100);
    CHECK(points_of(board(redis, c, "component:pull_requests"), "alice") == 1100);
    CHECK(log_length(redis, c) == 1);
}

TEST_CASE("100 concurrent applications of the same award move the board once") {
    auto endpoint = lb::test::fresh_database(2);
    auto c = sample_contest();
    auto a = make_pull_request_award(c, pr(7, "bob", {"bug"}, 60));
    std::vector<std::thread> threads;
    std::atomic<int> applied{0}, unchanged{0};
    for (int i = 0; i < 100; ++i)
        threads.emplace_back([&] {
            sync_redis redis(endpoint);
            auto outcome = apply(redis, c, a).outcome;
            (outcome == apply_outcome::applied ? applied : unchanged)++;
        });
    for (auto& t : threads) t.join();
    sync_redis redis(endpoint);
    CHECK(applied == 1);
    CHECK(unchanged == 99);
    CHECK(points_of(board(redis, c, "participants"), "bob") == 1100);
    CHECK(points_of(board(redis, c, "teams"), "shanghai") == 1100);
    CHECK(log_length(redis, c) == 1);
}

TEST_CASE("a later, lower value moves the boards down; zero removes the member") {
    sync_redis redis(lb::test::fresh_database(3));
    auto c = sample_contest();
    apply(redis, c, make_pull_request_award(c, pr(1, "alice", {"bug"}, 60, 60)));
    apply(redis, c, make_pull_request_award(c, pr(2, "bob", {"documentation"}, 70, 70)));
    CHECK(points_of(board(redis, c, "teams"), "shanghai") == 1400);
    auto relabelled = make_pull_request_award(c, pr(1, "alice", {"documentation"}, 60, 500));
    CHECK(apply(redis, c, relabelled).outcome == apply_outcome::applied);
    CHECK(points_of(board(redis, c, "participants"), "alice") == 300);
    CHECK(points_of(board(redis, c, "teams"), "shanghai") == 600);
    auto spam = make_pull_request_award(c, pr(1, "alice", {"bug"}, 60, 900));
    c.pull_requests.exclude_labels = {"bug"};
    spam = make_pull_request_award(c, pr(1, "alice", {"bug"}, 60, 900));
    REQUIRE(spam.points == 0);
    CHECK(apply(redis, c, spam).outcome == apply_outcome::applied);
    auto participants = board(redis, c, "participants");
    CHECK(points_of(participants, "alice") == -1);  // gone from the board
    CHECK(participants.total == 1);
    CHECK(points_of(board(redis, c, "teams"), "shanghai") == 300);
    CHECK(board(redis, c, "teams:school").total == 0);
}

TEST_CASE("an older state of a subject never overwrites a newer one") {
    sync_redis redis(lb::test::fresh_database(4));
    auto c = sample_contest();
    apply(redis, c, make_pull_request_award(c, pr(1, "alice", {"documentation"}, 60, 900)));
    auto older = make_pull_request_award(c, pr(1, "alice", {"bug"}, 60, 100));
    CHECK(apply(redis, c, older).outcome == apply_outcome::stale);
    CHECK(points_of(board(redis, c, "participants"), "alice") == 300);
    CHECK(log_length(redis, c) == 1);
}

TEST_CASE("ties: equal points rank by who reached them first, then by id") {
    sync_redis redis(lb::test::fresh_database(5));
    auto c = sample_contest();
    apply(redis, c, make_pull_request_award(c, pr(1, "carol", {"bug"}, 300)));
    apply(redis, c, make_pull_request_award(c, pr(2, "bob", {"bug"}, 100)));
    apply(redis, c, make_pull_request_award(c, pr(3, "alice", {"bug"}, 100)));
    auto page = board(redis, c, "participants");
    REQUIRE(page.rows.size() == 3);
    CHECK(page.rows[0].id == "alice");  // same points and time as bob: id decides
    CHECK(page.rows[1].id == "bob");
    CHECK(page.rows[2].id == "carol");  // reached 11 later
    CHECK(page.rows[0].rank == 1);
    CHECK(page.rows[2].rank == 3);
    CHECK(page.rows[2].reached_at == c.starts_at + 300);
}

TEST_CASE("reached-at is the latest contribution that still counts, whatever the arrival order") {
    sync_redis redis(lb::test::fresh_database(23));
    auto c = sample_contest();
    auto reached = [&](const std::string& board_name, const std::string& id) {
        for (const auto& row : board(redis, c, board_name).rows)
            if (row.id == id) return row.reached_at - c.starts_at;
        return unix_seconds{-1};
    };
    apply(redis, c, make_pull_request_award(c, pr(1, "alice", {"bug"}, 600)));
    apply(redis, c, make_pull_request_award(c, pr(2, "alice", {"documentation"}, 100)));  // merged earlier, arrives later
    CHECK(reached("participants", "alice") == 600);
    CHECK(reached("teams", "shanghai") == 600);
    CHECK(reached("teams:school", "zju") == 600);
    apply(redis, c, make_pull_request_award(c, pr(3, "bob", {}, 700)));
    CHECK(reached("teams:city", "shanghai") == 700);
    // The latest one stops counting: each row falls back to the latest that still counts.
    c.pull_requests.exclude_labels = {"bug"};
    REQUIRE(apply(redis, c, make_pull_request_award(c, pr(1, "alice", {"bug"}, 600, 900))).outcome == apply_outcome::applied);
    CHECK(points_of(board(redis, c, "participants"), "alice") == 300);
    CHECK(reached("participants", "alice") == 100);
    CHECK(reached("component:pull_requests", "alice") == 100);
    CHECK(reached("teams:school", "zju") == 100);
    CHECK(reached("teams:city", "shanghai") == 700);  // bob's PR still counts there
    // A subject whose time moves earlier takes the row's reached-at with it.
    award adjustment;
    adjustment.subject = "adjustment:late";
    adjustment.kind = "adjustment";
    adjustment.component = "adjustments";
    adjustment.participant = "carol";
    adjustment.points = 500;
    adjustment.at = c.starts_at + 800;
    adjustment.version = 1;
    adjustment.contributions = contributions_for(c, c.participants[2], "adjustments", 500, adjustment.at);
    REQUIRE(apply(redis, c, adjustment).outcome == apply_outcome::applied);
    CHECK(reached("participants", "carol") == 800);
    adjustment.at = c.starts_at + 200;
    adjustment.version = 2;
    REQUIRE(apply(redis, c, adjustment).outcome == apply_outcome::applied);
    CHECK(reached("participants", "carol") == 200);
    CHECK(points_of(board(redis, c, "participants"), "carol") == 500);
}

TEST_CASE("a PR by an unregistered author is kept and scores once the author registers") {
    sync_redis redis(lb::test::fresh_database(6));
    auto c = sample_contest();
    auto kept = make_pull_request_award(c, pr(9, "Newcomer", {"bug"}, 60));
    CHECK(apply(redis, c, kept).outcome == apply_outcome::applied);
    CHECK(board(redis, c, "participants").total == 0);
    CHECK(redis.run({"SMEMBERS", keys::unattributed(c.id)}).elements.at(0).text == "github:newcomer");
    c.participants.push_back({"nc", "Newcomer", {{"github", "newcomer"}}, "", {"shanghai"}});
    c.build_indexes();
    int moved = -1;
    award_store(redis).refresh_participants(c, {"nc"}, [&](int n, std::string error) {
        CHECK(error.empty());
        moved = n;
    });
    CHECK(moved == 1);
    CHECK(points_of(board(redis, c, "participants"), "nc") == 1100);
    CHECK(points_of(board(redis, c, "teams"), "shanghai") == 1100);
    CHECK(redis.run({"SCARD", keys::unattributed(c.id)}).integer == 0);
}

TEST_CASE("a total beyond the exact range is refused and changes nothing") {
    sync_redis redis(lb::test::fresh_database(7));
    auto c = sample_contest();
    award big;
    big.subject = "adjustment:big";
    big.kind = "adjustment";
    big.component = "adjustments";
    big.participant = "carol";
    big.points = max_abs_total_centi;
    big.at = c.starts_at;
    big.contributions = contributions_for(c, c.participants[2], "adjustments", big.points, big.at);
    CHECK(apply(redis, c, big).outcome == apply_outcome::applied);
    auto more = big;
    more.subject = "adjustment:more";
    more.points = 1;
    more.contributions = contributions_for(c, c.participants[2], "adjustments", 1, more.at);
    auto result = apply(redis, c, more);
    CHECK(result.outcome == apply_outcome::refused);
    CHECK(result.error.find("out of range") != std::string::npos);
    CHECK(redis.run({"HEXISTS", keys::ledger(c.id), "adjustment:more"}).integer == 0);
    CHECK(points_of(board(redis, c, "participants"), "carol") == max_abs_total_centi);
    CHECK(log_length(redis, c) == 1);
    // A row that fits is moved before the one out of range is met: it is put back.
    auto mixed = more;
    mixed.subject = "adjustment:mixed";
    mixed.contributions = {{"participants", "alice", 500}, {"participants", "carol", 1}};
    auto rows_before = redis.run({"ZRANGE", keys::board(c.id, "participants"), "0", "-1", "WITHSCORES"});
    CHECK(apply(redis, c, mixed).outcome == apply_outcome::refused);
    auto rows_after = redis.run({"ZRANGE", keys::board(c.id, "participants"), "0", "-1", "WITHSCORES"});
    REQUIRE(rows_after.elements.size() == rows_before.elements.size());
    for (std::size_t i = 0; i < rows_after.elements.size(); ++i) CHECK(rows_after.elements[i].text == rows_before.elements[i].text);
    CHECK(points_of(board(redis, c, "participants"), "carol") == max_abs_total_centi);
    // A refused delivery id stays unused, so the host's retry is not taken for a duplicate.
    apply_result with_delivery;
    award_store(redis).apply(c, more, [&](apply_result r) { with_delivery = std::move(r); }, "github:retry-1");
    CHECK(with_delivery.outcome == apply_outcome::refused);
    CHECK(redis.run({"EXISTS", keys::prefix(c.id) + "delivery:github:retry-1"}).integer == 0);
    auto late = more;
    late.at = c.starts_at + time_slots;
    CHECK(apply(redis, c, late).outcome == apply_outcome::refused);
}

TEST_CASE("after freeze_at the public boards stop moving; admins see the live board") {
    sync_redis redis(lb::test::fresh_database(8));
    auto c = sample_contest();
    apply(redis, c, make_pull_request_award(c, pr(1, "alice", {"bug"}, 60)));
    c.freeze_at = now_seconds() - 1;  // frozen from now on
    apply(redis, c, make_pull_request_award(c, pr(2, "bob", {"bug"}, 120)));
    auto public_page = board(redis, c, "participants", true);
    CHECK(public_page.frozen);
    CHECK(public_page.total == 1);
    CHECK(points_of(public_page, "bob") == -1);
    auto live = board(redis, c, "participants", false);
    CHECK_FALSE(live.frozen);
    CHECK(points_of(live, "bob") == 1100);
    redis.run({"SET", keys::unfrozen(c.id), "1"});  // what the unfreeze route will do
    auto revealed = board(redis, c, "participants", true);
    CHECK_FALSE(revealed.frozen);
    CHECK(points_of(revealed, "bob") == 1100);
}

TEST_CASE("the participant view explains the total award by award") {
    sync_redis redis(lb::test::fresh_database(9));
    auto c = sample_contest();
    apply(redis, c, make_pull_request_award(c, pr(1, "alice", {"bug"}, 60)));
    apply(redis, c, make_pull_request_award(c, pr(2, "alice", {"documentation"}, 90)));
    std::optional<nlohmann::json> view;
    read_participant(redis, c, c.participants[0], true, now_seconds(), [&](auto j, std::string) { view = j; });
    REQUIRE(view);
    CHECK((*view)["points"] == 14);
    CHECK((*view)["boards"]["participants"]["rank"] == 1);
    REQUIRE((*view)["awards"].size() == 2);
    CHECK((*view)["awards"][0]["reason"] == "base 1 + bug 10");
    CHECK((*view)["awards"][0]["details"]["url"] == "https://github.com/example-org/framework/pull/1");
}

TEST_CASE("the event log is resumable") {
    sync_redis redis(lb::test::fresh_database(10));
    auto c = sample_contest();
    for (int i = 1; i <= 5; ++i) apply(redis, c, make_pull_request_award(c, pr(i, "bob", {"bug"}, 60 * i)));
    std::string first, rest;
    read_events(redis, c, "", 2, true, now_seconds(), [&](auto text, std::string) { first = *text; });
    auto last_line = first.substr(0, first.size() - 1);
    last_line = last_line.substr(last_line.rfind('\n') + 1);
    auto last_id = nlohmann::json::parse(last_line)["id"].get<std::string>();
    read_events(redis, c, last_id, 100, true, now_seconds(), [&](auto text, std::string) { rest = *text; });
    CHECK(std::count(first.begin(), first.end(), '\n') == 2);
    CHECK(std::count(rest.begin(), rest.end(), '\n') == 3);
    CHECK(rest.find("\"subject\":\"github:example-org/framework#3\"") != std::string::npos);
    CHECK(rest.find("#2\"") == std::string::npos);
}

TEST_CASE("the award script touches only declared keys: it asks for the replaced award's and writes nothing") {
    sync_redis redis(lb::test::fresh_database(24));
    auto c = sample_contest();
    auto first = make_pull_request_award(c, pr(1, "alice", {"bug"}, 100));
    CHECK(apply(redis, c, first).outcome == apply_outcome::applied);
    // The same PR, now by bob: his rows are declared, alice's (whose award it replaces) are not.
    auto moved = make_pull_request_award(c, pr(1, "bob", {"bug"}, 100, 200));
    auto command = apply_award_command(c, moved, now_seconds(), {});
    REQUIRE(command);
    auto before = redis.run({"DUMP", keys::board(c.id, "participants")});
    redis_value reply;
    redis.execute({*command}, [&](std::vector<redis_value> replies) { reply = replies.at(0); });
    auto result = parse_apply_reply(reply);
    CHECK(result.outcome == apply_outcome::failed);
    std::vector<std::string> asked = result.missing_keys;
    CHECK(std::find(asked.begin(), asked.end(), keys::contributors(c.id, "participants", "alice")) != asked.end());
    CHECK(std::find(asked.begin(), asked.end(), keys::subjects(c.id, "alice")) != asked.end());
    CHECK(redis.run({"DUMP", keys::board(c.id, "participants")}).text == before.text);
    // Through the store it declares them and goes through: bob holds the points now.
    CHECK(apply(redis, c, moved).outcome == apply_outcome::applied);
    auto rows = board(redis, c, "participants").rows;
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].id == "bob");
}

TEST_CASE("while a recompute holds the contest, awards are answered held and nothing is written") {
    sync_redis redis(lb::test::fresh_database(25));
    auto c = sample_contest();
    redis.run({"SET", keys::held(c.id), "x", "PX", "60000"});
    CHECK(apply(redis, c, make_pull_request_award(c, pr(1, "alice", {"bug"}, 100))).outcome == apply_outcome::held);
    CHECK(redis.run({"EXISTS", keys::ledger(c.id)}).integer == 0);
    redis.run({"DEL", keys::held(c.id)});
    CHECK(apply(redis, c, make_pull_request_award(c, pr(1, "alice", {"bug"}, 100))).outcome == apply_outcome::applied);
}

TEST_CASE("large reads in batches give what one pipeline would") {
    sync_redis redis(lb::test::fresh_database(11));
    std::vector<redis_command> writes;
    for (int i = 0; i < 2500; ++i) writes.push_back({{"HSET", "h", "f" + std::to_string(i), std::to_string(i)}});
    redis.execute(std::move(writes), [](std::vector<redis_value>) {});

    std::vector<std::string> fields;
    for (int i = 0; i < 25001; ++i) fields.push_back("f" + std::to_string(i % 2600));
    auto commands = field_chunks("HMGET", "h", fields);
    CHECK(commands.size() == 3);  // 10,000 fields a command
    CHECK(chunks_for(fields.size()) == 3);
    std::vector<redis_value> replies;
    execute_in_batches(redis, std::move(commands), 1, [&](std::vector<redis_value> got) { replies = std::move(got); });
    auto values = chunk_values(replies, 0, fields.size());
    REQUIRE(values.size() == fields.size());
    CHECK(values[2499]->text == "2499");
    CHECK(values[2500]->is_nil());  // f2500 was never written
    CHECK(values[25000]->text == "1600");
}
