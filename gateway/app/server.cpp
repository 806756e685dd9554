#include "app/server.hpp"

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/error_boundary.hpp"
#include "api/handlers.hpp"
#include "api/side_threads.hpp"
#include "api/season_cache.hpp"
#include "award_store.hpp"
#include "app/config_reload.hpp"
#include "reconcile/author_lookup.hpp"
#include "reconcile/reconcile_schedule.hpp"
#include "app/contest_sync.hpp"
#include "app/delivery_health.hpp"
#include "clock.hpp"
#include "delivery_spool.hpp"
#include "net/listener.hpp"
#include "receiver.hpp"
#include "app/encoding_upgrade.hpp"
#include "app/level_watch.hpp"
#include "redis/redis_link.hpp"
#include "store_keys.hpp"

namespace lb::gateway {

namespace net = boost::asio;

namespace {

std::string secret_from(const std::string& env_name, const char* host) {
    const char* value = env_name.empty() ? nullptr : std::getenv(env_name.c_str());
    if (value && *value) return value;
    std::cerr << "warning: no " << host << " webhook secret (" << env_name
              << "); " << host << " deliveries will be refused\n";
    return "";
}

// Applies spooled deliveries whenever Redis is reachable and some are waiting.
void replay_when_ready(std::shared_ptr<net::steady_timer> timer, std::shared_ptr<redis_link> redis,
                       webhooks::receiver& receiver, webhooks::delivery_spool& spool) {
    timer->expires_after(std::chrono::milliseconds(500));
    timer->async_wait([timer, redis, &receiver, &spool](boost::system::error_code ec) {
        if (ec) return;
        if (!redis->ready() || !spool.has_pending()) return replay_when_ready(timer, redis, receiver, spool);
        bool started = shielded("the spool replay", [&] {
            receiver.replay_spool([timer, redis, &receiver, &spool](bool complete) {
                std::cerr << (complete ? "spooled deliveries applied\n"
                                       : "spool replay paused: Redis failed again, or does not keep the lines' awards yet\n");
                replay_when_ready(timer, redis, receiver, spool);
            });
        });
        if (!started) replay_when_ready(timer, redis, receiver, spool);
    });
}

// Says in the log what an acknowledgement survives, at start and whenever Redis's settings change.
void report_durability(std::shared_ptr<net::steady_timer> timer, std::shared_ptr<redis_link> redis, const engine::config_slot& configs,
                       std::shared_ptr<std::string> last) {
    timer->expires_after(std::chrono::seconds(1));
    timer->async_wait([timer, redis, &configs, last](boost::system::error_code ec) {
        if (ec) return;
        if (redis->ready()) {
            auto summary = engine::what_survives(redis->persistence(), configs.current().redis.durability).summary;
            if (summary != *last) std::cerr << "durability: " << (*last = summary) << std::endl;
        }
        report_durability(timer, redis, configs, last);
    });
}

void when_ready(std::shared_ptr<net::steady_timer> timer, std::shared_ptr<redis_link> redis, std::function<void()> action) {
    timer->expires_after(std::chrono::milliseconds(100));
    timer->async_wait([timer, redis, action = std::move(action)](boost::system::error_code ec) mutable {
        if (ec) return;
        if (redis->ready()) return static_cast<void>(shielded("a start-up pass", action));
        when_ready(timer, redis, std::move(action));
    });
}

}  // namespace

int serve(std::unique_ptr<engine::config> first, const serve_options& options) {
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
    const char* token = config.admin_token_env.empty() ? nullptr : std::getenv(config.admin_token_env.c_str());
    if (!token || !*token)
        std::cerr << "warning: " << config.admin_token_env << " is not set; admin routes will refuse every request\n";
    std::unique_ptr<webhooks::delivery_spool> spool;
    std::unique_ptr<webhooks::receiver> receiver;
    if (options.role != process_role::gateway) {
        try {
            spool = std::make_unique<webhooks::delivery_spool>(options.spool_dir);
        } catch (const std::exception& error) {
            std::cerr << "cannot use the delivery spool: " << error.what() << "\n";
            return 1;
        }
        counters.spool_depth = [spool = spool.get()] { return spool->pending(); };
        webhooks::receiver_secrets secrets;
        for (const auto& [host, hook] : config.webhooks.hosts)
            if (hook.configured) secrets[host] = secret_from(hook.secret_env, host.c_str());
        receiver = std::make_unique<webhooks::receiver>(configs, *redis, *spool, std::move(secrets),
                                                        [&counters, &health](const auto& host, const auto& event, const auto& outcome) {
                                                            counters.count_delivery(host, event, outcome);
                                                            health.record(host, outcome, engine::now_seconds());
                                                        });
        receiver->on_repo_outcome = [&health](const auto& host, const auto& repo, const auto& outcome) {
            health.record_repo(host, repo, outcome, engine::now_seconds());
        };
    }
    app_context app{configs, *redis, [redis] { return redis->ready(); }, token ? token : "", options.static_dir, counters,
                    receiver.get(), options.role, nullptr, options.redis};
    for (const auto& j : config.judges)
        if (j.token.empty()) std::cerr << "warning: " << j.token_env << " is not set; judge " << j.id << " cannot sign in\n";
    app.health = &health;
    season_cache seasons(counters);
    app.seasons = &seasons;
    auto router = std::make_shared<api_router>(app);
    // The live side (hub and WebSocket sessions) runs on a thread of its own, with its own
    // Redis connection: writing a frame to thousands of viewers never delays a webhook's answer.
    std::shared_ptr<redis_link> live_redis;
    std::shared_ptr<live_hub> hub;
    if (options.role != process_role::webhooks) {
        live_io = std::make_unique<net::io_context>(1);
        auto reads = options.redis;
        reads.prefer_replica = options.read_from_replica;
        live_redis = make_redis_link(*live_io, reads, std::chrono::milliseconds(config.redis.command_timeout_ms));
        live_redis->start();
        hub_settings live_settings;
        live_settings.replica_reads = options.read_from_replica;
        hub = std::make_shared<live_hub>(*live_io, configs, *live_redis, token ? token : "", live_settings);
        hub->start();
    }
    auto services = std::make_shared<session_services>();
    services->router = router;
    services->hub = hub;
    services->live_io = live_io.get();
    services->live.queue_bytes = static_cast<std::size_t>(config.live.queue_bytes);
    services->live.stuck = std::chrono::seconds(config.live.stuck_seconds);
    services->live.messages_per_second = config.live.messages_per_second;
    services->live.message_burst = 4 * config.live.messages_per_second;
    services->connections = std::make_shared<connection_limit>(static_cast<std::size_t>(config.server.max_connections));
    services->allowed_origins = config.live.allowed_origins;
    services->counters = &counters;
    services->one_thread = options.threads == 1;
    std::shared_ptr<listener> server;
    try {
        server = std::make_shared<listener>(io, net::ip::tcp::endpoint(net::ip::make_address(options.listen_host), options.listen_port),
                                            services);
    } catch (const std::exception& error) {
        std::cerr << "cannot listen on " << options.listen_host << ":" << options.listen_port << ": " << error.what() << "\n";
        return 1;
    }
    server->run();
    std::cout << "leaderboard listening on http://" << options.listen_host << ":" << server->port() << "/ (role "
              << to_string(options.role) << ")" << std::endl;
    auto ready_timer = std::make_shared<net::steady_timer>(io);
    // Roster and freeze state from Redis; loading a roster also scores the kept PRs of
    // participants registered since (in the config or by an import).
    auto sync = std::make_shared<contest_sync>(io, configs, *redis);
    app.sync = sync.get();
    auto reloader = std::make_shared<config_reloader>(configs, *redis, *sync, options.config_path);
    app.reload_config = [reloader](std::function<void(nlohmann::json, bool)> done) { reloader->reload(std::move(done)); };
    net::signal_set hangup(io, SIGHUP);
    std::function<void()> await_hangup = [&] {
        hangup.async_wait([&](boost::system::error_code ec, int) {
            if (ec) return;
            shielded("a config reload", [&] {
                reloader->reload([](nlohmann::json answer, bool ok) {
                    std::cerr << (ok ? "config reloaded: " : "config reload refused: ") << answer.dump() << std::endl;
                });
            });
            await_hangup();
        });
    };
    await_hangup();
    when_ready(ready_timer, redis, [sync] { sync->start(); });
    upgrade_tie_encoding_in_background(config, options.redis);
    auto replay_timer = std::make_shared<net::steady_timer>(io);
    if (receiver) replay_when_ready(replay_timer, redis, *receiver, *spool);
    auto durability_timer = std::make_shared<net::steady_timer>(io);
    if (receiver) report_durability(durability_timer, redis, configs, std::make_shared<std::string>());
    // GitLab's hooks name their author by id only: the login comes from its API, on a thread of its own.
    std::unique_ptr<author_lookup> authors;
    if (receiver) {
        authors = std::make_unique<author_lookup>(configs, options.redis, tokens_from_environment(configs.current()));
        authors->start();
        receiver->on_unknown_author = [lookup = authors.get()](const std::string& host, long long id) { lookup->want(host, id); };
    }
    std::unique_ptr<reconcile_schedule> reconciling;
    if (receiver) {
        reconciling = std::make_unique<reconcile_schedule>(configs, options.redis, tokens_from_environment(configs.current()), app.counters);
        reconciling->start();
    }
    // Where awards are received, levels are watched (a gateway-only process leaves it to them).
    std::unique_ptr<level_watch> levels;
    if (receiver) {
        levels = std::make_unique<level_watch>(configs, options.redis);
        levels->start();
    }
    net::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code, int) {
        std::cout << "shutting down" << std::endl;
        server->stop();
        if (live_io)
            net::post(*live_io, [&] {
                hub->stop();
                live_redis->stop();
                live_io->stop();
            });
        sync->stop();
        hangup.cancel();
        redis->stop();
        ready_timer->cancel();
        replay_timer->cancel();
        durability_timer->cancel();
        io.stop();
    });
    std::vector<std::thread> workers;
    for (int i = 1; i < options.threads; ++i) workers.emplace_back([&io] { run_shielded(io, "an HTTP thread"); });
    if (live_io) workers.emplace_back([&live_io] { run_shielded(*live_io, "the live thread"); });
    run_shielded(io, "the main thread");
    for (auto& worker : workers) worker.join();
    wait_for_side_threads(std::chrono::seconds(60));
    return 0;
}

}  // namespace lb::gateway
