#include "app/serving_parts.hpp"

#include <cstdlib>
#include <iostream>

#include <boost/asio/post.hpp>

#include "clock.hpp"
#include "common/error_boundary.hpp"
#include "durability.hpp"
#include "reconcile/reconciler.hpp"

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

}  // namespace

void when_ready(std::shared_ptr<net::steady_timer> timer, std::shared_ptr<redis_link> redis, std::function<void()> action) {
    timer->expires_after(std::chrono::milliseconds(100));
    timer->async_wait([timer, redis, action = std::move(action)](boost::system::error_code ec) mutable {
        if (ec) return;
        if (redis->ready()) return static_cast<void>(shielded("a start-up pass", action));
        when_ready(timer, redis, std::move(action));
    });
}

std::optional<receiving_side> open_receiving_side(const engine::config_slot& configs, redis_link& redis, const serve_options& options,
                                                  metrics& counters, delivery_health& health) {
    receiving_side out;
    try {
        out.spool = std::make_unique<webhooks::delivery_spool>(options.spool_dir);
    } catch (const std::exception& error) {
        std::cerr << "cannot use the delivery spool: " << error.what() << "\n";
        return std::nullopt;
    }
    counters.spool_depth = [spool = out.spool.get()] { return spool->pending(); };
    webhooks::receiver_secrets secrets;
    for (const auto& [host, hook] : configs.current().webhooks.hosts)
        if (hook.configured) secrets[host] = secret_from(hook.secret_env, host.c_str());
    out.receiver = std::make_unique<webhooks::receiver>(configs, redis, *out.spool, std::move(secrets),
                                                        [&counters, &health](const auto& host, const auto& event, const auto& outcome) {
                                                            counters.count_delivery(host, event, outcome);
                                                            health.record(host, outcome, engine::now_seconds());
                                                        });
    out.receiver->on_repo_outcome = [&health](const auto& host, const auto& repo, const auto& outcome) {
        health.record_repo(host, repo, outcome, engine::now_seconds());
    };
    return out;
}

live_side open_live_side(net::io_context& live_io, const engine::config_slot& configs, const serve_options& options,
                         const std::string& admin_token) {
    live_side out;
    auto reads = options.redis;
    reads.prefer_replica = options.read_from_replica;
    out.redis = make_redis_link(live_io, reads, std::chrono::milliseconds(configs.current().redis.command_timeout_ms));
    out.redis->start();
    hub_settings settings;
    settings.replica_reads = options.read_from_replica;
    out.hub = std::make_shared<live_hub>(live_io, configs, *out.redis, admin_token, settings);
    out.hub->start();
    return out;
}

void live_side::stop(net::io_context& live_io) {
    net::post(live_io, [this, &live_io] {
        hub->stop();
        redis->stop();
        live_io.stop();
    });
}

std::shared_ptr<session_services> session_services_for(const engine::config& config, const serve_options& options,
                                                       std::shared_ptr<api_router> router, const live_side& live,
                                                       net::io_context* live_io, metrics& counters) {
    auto services = std::make_shared<session_services>();
    services->router = std::move(router);
    services->hub = live.hub;
    services->live_io = live_io;
    services->live.queue_bytes = static_cast<std::size_t>(config.live.queue_bytes);
    services->live.stuck = std::chrono::seconds(config.live.stuck_seconds);
    services->live.messages_per_second = config.live.messages_per_second;
    services->live.message_burst = 4 * config.live.messages_per_second;
    services->connections = std::make_shared<connection_limit>(static_cast<std::size_t>(config.server.max_connections));
    services->allowed_origins = config.live.allowed_origins;
    services->counters = &counters;
    services->one_thread = options.threads == 1;
    return services;
}

reload_on_hangup::reload_on_hangup(net::io_context& io, std::shared_ptr<config_reloader> reloader)
    : signals_(io, SIGHUP), reloader_(std::move(reloader)) {
    wait();
}

void reload_on_hangup::wait() {
    signals_.async_wait([this](boost::system::error_code ec, int) {
        if (ec) return;
        shielded("a config reload", [&] {
            reloader_->reload([](nlohmann::json answer, bool ok) {
                std::cerr << (ok ? "config reloaded: " : "config reload refused: ") << answer.dump() << std::endl;
            });
        });
        wait();
    });
}

receiver_duties start_receiver_duties(net::io_context& io, const engine::config_slot& configs, const serve_options& options,
                                      std::shared_ptr<redis_link> redis, receiving_side& receiving, metrics& counters) {
    receiver_duties out;
    out.replay_timer = std::make_shared<net::steady_timer>(io);
    replay_when_ready(out.replay_timer, redis, *receiving.receiver, *receiving.spool);
    out.durability_timer = std::make_shared<net::steady_timer>(io);
    report_durability(out.durability_timer, redis, configs, std::make_shared<std::string>());
    // GitLab's hooks name their author by id only: the login comes from its API, on a thread of its own.
    out.authors = std::make_unique<author_lookup>(configs, options.redis, tokens_from_environment(configs.current()));
    out.authors->start();
    receiving.receiver->on_unknown_author = [lookup = out.authors.get()](const std::string& host, long long id) { lookup->want(host, id); };
    out.reconciling = std::make_unique<reconcile_schedule>(configs, options.redis, tokens_from_environment(configs.current()), counters);
    out.reconciling->start();
    // Where awards are received, levels are watched (a gateway-only process leaves it to them).
    out.levels = std::make_unique<level_watch>(configs, options.redis);
    out.levels->start();
    return out;
}

void receiver_duties::cancel_timers() {
    if (replay_timer) replay_timer->cancel();
    if (durability_timer) durability_timer->cancel();
}

}  // namespace lb::gateway
