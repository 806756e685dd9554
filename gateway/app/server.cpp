#include "app/server.hpp"

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "api/api_router.hpp"
#include "api/season_cache.hpp"
#include "api/side_threads.hpp"
#include "app/contest_sync.hpp"
#include "app/encoding_upgrade.hpp"
#include "app/serving_parts.hpp"
#include "app/vote_tallies.hpp"
#include "clock.hpp"
#include "common/error_boundary.hpp"
#include "net/listener.hpp"

namespace lb::gateway {

namespace net = boost::asio;

namespace {

std::string admin_token_of(const engine::config& config) {
    const char* token = config.admin_token_env.empty() ? nullptr : std::getenv(config.admin_token_env.c_str());
    if (!token || !*token)
        std::cerr << "warning: " << config.admin_token_env << " is not set; admin routes will refuse every request\n";
    for (const auto& j : config.judges)
        if (j.token.empty()) std::cerr << "warning: " << j.token_env << " is not set; judge " << j.id << " cannot sign in\n";
    return token ? token : "";
}

std::shared_ptr<listener> listen_on(net::io_context& io, const serve_options& options, std::shared_ptr<session_services> services) {
    try {
        auto server = std::make_shared<listener>(io, net::ip::tcp::endpoint(net::ip::make_address(options.listen_host), options.listen_port),
                                                 std::move(services));
        server->run();
        std::cout << "leaderboard listening on http://" << options.listen_host << ":" << server->port() << "/ (role "
                  << to_string(options.role) << ")" << std::endl;
        return server;
    } catch (const std::exception& error) {
        std::cerr << "cannot listen on " << options.listen_host << ":" << options.listen_port << ": " << error.what() << "\n";
        return nullptr;
    }
}

// The main context on options.threads threads, the live context on one of its own.
void run_threads(net::io_context& io, net::io_context* live_io, int threads) {
    std::vector<std::thread> workers;
    for (int i = 1; i < threads; ++i) workers.emplace_back([&io] { run_shielded(io, "an HTTP thread"); });
    if (live_io) workers.emplace_back([live_io] { run_shielded(*live_io, "the live thread"); });
    run_shielded(io, "the main thread");
    for (auto& worker : workers) worker.join();
}

}  // namespace

// The parts are declared in the order they must be destroyed in reverse: what holds a part
// comes after it.
int serve(std::unique_ptr<engine::config> first, const serve_options& options) {
    if (auto offset = engine::clock_offset_seconds())
        std::cerr << "warning: LB_TEST_CLOCK_OFFSET_SECONDS moves this server's clock by " << offset << " s (a test clock)\n";
    read_config_secrets(*first);
    engine::config_slot configs(std::move(first));
    // Read once at start: what a reload cannot change (the answer to a reload names them).
    const engine::config& config = configs.current();
    // A file size limit (or a full quota) makes a spool write fail with EFBIG: answered 503,
    // rather than the signal's default of ending the process.
    std::signal(SIGXFSZ, SIG_IGN);
    metrics counters;
    delivery_health health;
    // Destroyed after the main context: handlers left there hold the hub, whose timer lives here.
    std::unique_ptr<net::io_context> live_io;
    net::io_context io(options.threads);
    auto redis = make_redis_link(io, options.redis, std::chrono::milliseconds(config.redis.command_timeout_ms));
    redis->start();
    auto token = admin_token_of(config);

    receiving_side receiving;
    if (options.role != process_role::gateway) {
        auto opened = open_receiving_side(configs, *redis, options, counters, health);
        if (!opened) return 1;
        receiving = std::move(*opened);
    }
    app_context app{configs, *redis, [redis] { return redis->ready(); }, token, options.static_dir, counters,
                    receiving.receiver.get(), options.role, nullptr, options.redis};
    app.health = &health;
    season_cache seasons(counters);
    app.seasons = &seasons;
    auto router = std::make_shared<api_router>(app);

    live_side live;
    if (options.role != process_role::webhooks) {
        live_io = std::make_unique<net::io_context>(1);
        live = open_live_side(*live_io, configs, options, token);
    }
    auto server = listen_on(io, options, session_services_for(config, options, router, live, live_io.get(), counters));
    if (!server) return 1;

    // Roster and freeze state from Redis; loading a roster also scores the kept PRs of
    // participants registered since (in the config or by an import).
    auto ready_timer = std::make_shared<net::steady_timer>(io);
    auto sync = std::make_shared<contest_sync>(io, configs, *redis);
    app.sync = sync.get();
    auto reloader = std::make_shared<config_reloader>(configs, *redis, *sync, options.config_path);
    app.reload_config = [reloader](std::function<void(nlohmann::json, bool)> done) { reloader->reload(std::move(done)); };
    reload_on_hangup hangup(io, reloader);
    when_ready(ready_timer, redis, [sync] { sync->start(); });
    upgrade_tie_encoding_in_background(config, options.redis);
    receiver_duties duties;
    if (receiving.receiver) duties = start_receiver_duties(io, configs, options, redis, receiving, counters);
    // Where votes are cast, they are tallied.
    std::shared_ptr<vote_tallies> tallies;
    if (options.role != process_role::webhooks) (tallies = std::make_shared<vote_tallies>(io, configs, redis))->start();

    net::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code, int) {
        std::cout << "shutting down" << std::endl;
        server->stop();
        if (live_io) live.stop(*live_io);
        sync->stop();
        hangup.cancel();
        redis->stop();
        ready_timer->cancel();
        duties.cancel_timers();
        if (tallies) tallies->stop();
        io.stop();
    });
    run_threads(io, live_io.get(), options.threads);
    wait_for_side_threads(std::chrono::seconds(60));
    return 0;
}

}  // namespace lb::gateway
