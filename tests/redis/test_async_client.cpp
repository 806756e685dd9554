#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "award_store.hpp"
#include "redis/redis_client.hpp"
#include "test_redis.hpp"
#include "tie_order.hpp"

using namespace lb;
using namespace std::chrono_literals;

namespace {

// Runs the io_context until done() or the time limit.
template <class Done>
bool run_until(boost::asio::io_context& io, Done done, std::chrono::milliseconds limit = 5000ms) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        io.run_for(10ms);
        io.restart();
    }
    return done();
}

int free_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

// A redis-server of this test's own, so that it can be killed and restarted.
struct own_redis {
    int port = free_port();
    std::string dir = (std::filesystem::temp_directory_path() / ("lb-own-redis-" + std::to_string(port))).string();
    void start() {
        std::filesystem::create_directories(dir);
        auto command = "redis-server --port " + std::to_string(port) + " --bind 127.0.0.1 --save '' --appendonly no" +
                       " --daemonize yes --pidfile " + dir + "/pid --dir " + dir + " --logfile " + dir + "/log";
        REQUIRE(std::system(command.c_str()) == 0);
        for (int i = 0; i < 100; ++i) {
            try {
                engine::sync_redis probe({"127.0.0.1", port, 0, {}, {}, false, {}});
                return;
            } catch (...) { std::this_thread::sleep_for(50ms); }
        }
        FAIL("own redis-server did not start");
    }
    void stop() {
        std::ifstream pid_file(dir + "/pid");
        int pid = 0;
        if (pid_file >> pid) ::kill(pid, SIGKILL);
        for (int i = 0; i < 100 && std::filesystem::exists(dir + "/pid") && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(20ms);
        std::filesystem::remove(dir + "/pid");
    }
    ~own_redis() {
        stop();
        std::filesystem::remove_all(dir);
    }
};

}  // namespace

TEST_CASE("the Asio client pipelines commands and returns replies in order") {
    auto endpoint = test::fresh_database(30);
    boost::asio::io_context io;
    auto client = std::make_shared<gateway::redis_client>(io, endpoint);
    client->start();
    REQUIRE(run_until(io, [&] { return client->ready(); }));
    std::vector<engine::redis_command> commands;
    for (int i = 0; i < 50; ++i) commands.push_back({{"INCR", "counter"}});
    commands.push_back({{"GET", "counter"}});
    commands.push_back({{"NOSUCHCOMMAND"}});
    std::vector<engine::redis_value> replies;
    client->execute(std::move(commands), [&](auto r) { replies = std::move(r); });
    REQUIRE(run_until(io, [&] { return !replies.empty(); }));
    CHECK(replies[0].integer == 1);
    CHECK(replies[49].integer == 50);
    CHECK(replies[50].text == "50");
    CHECK(replies[51].is_error());
    client->stop();
    io.run_for(50ms);
}

TEST_CASE("awards through the Asio client: 100 concurrent applications of one award move the board once") {
    auto endpoint = test::fresh_database(31);
    boost::asio::io_context io;
    auto client = std::make_shared<gateway::redis_client>(io, endpoint);
    client->start();
    REQUIRE(run_until(io, [&] { return client->ready(); }));
    engine::redis_command flush{{"SCRIPT", "FLUSH"}};  // the client must recover from NOSCRIPT
    bool flushed = false;
    client->execute({flush}, [&](auto) { flushed = true; });
    REQUIRE(run_until(io, [&] { return flushed; }));
    engine::contest c;
    c.id = "async-test";
    c.starts_at = 1796054400;
    c.ends_at = c.starts_at + 86400;
    c.participants = {{"alice", "Alice", {{"github", "alice"}}, "", {}}};
    c.build_indexes();
    engine::award a;
    a.subject = "adjustment:once";
    a.kind = "adjustment";
    a.component = "adjustments";
    a.participant = "alice";
    a.points = 500;
    a.at = c.starts_at;
    a.contributions = engine::contributions_for(c, c.participants[0], "adjustments", 500, c.starts_at);
    engine::award_store store(*client);
    int applied = 0, unchanged = 0, answered = 0;
    for (int i = 0; i < 100; ++i)
        store.apply(c, a, [&](engine::apply_result r) {
            ++answered;
            if (r.outcome == engine::apply_outcome::applied) ++applied;
            if (r.outcome == engine::apply_outcome::unchanged) ++unchanged;
        });
    REQUIRE(run_until(io, [&] { return answered == 100; }));
    CHECK(applied == 1);
    CHECK(unchanged == 99);
    engine::sync_redis check(endpoint);
    CHECK(check.run({"ZCARD", "lb:{async-test}:board:participants"}).integer == 1);
    // Total 500 centi-points, reached at the award's time (offset 0 from the time base).
    CHECK(check.run({"ZSCORE", "lb:{async-test}:board:participants", "alice"}).text == std::to_string(-500 * engine::time_slots));
    client->stop();
    io.run_for(50ms);
}

TEST_CASE("the Asio client fails fast while Redis is down and reconnects when it is back") {
    own_redis server;
    server.start();
    boost::asio::io_context io;
    auto client = std::make_shared<gateway::redis_client>(io, engine::redis_endpoint{"127.0.0.1", server.port, 0, {}, {}, false, {}});
    client->start();
    REQUIRE(run_until(io, [&] { return client->ready(); }));
    server.stop();
    REQUIRE(run_until(io, [&] { return !client->ready(); }));
    std::vector<engine::redis_value> replies;
    client->execute({{{"PING"}}}, [&](auto r) { replies = std::move(r); });
    REQUIRE(run_until(io, [&] { return !replies.empty(); }, 1000ms));
    CHECK(replies[0].is_error());
    server.start();
    REQUIRE(run_until(io, [&] { return client->ready(); }, 10000ms));
    replies.clear();
    client->execute({{{"PING"}}}, [&](auto r) { replies = std::move(r); });
    REQUIRE(run_until(io, [&] { return !replies.empty(); }));
    CHECK(replies[0].text == "PONG");
    client->stop();
    io.run_for(50ms);
}
