#pragma once
// The parts serve() puts together, each named for its job: the receiving side (spool and
// receivers), the live side (its own thread, Redis connection and hub), what every HTTP
// session is given, the reload on SIGHUP, and what runs beside the receivers (spool replay,
// the durability report, GitLab's author lookup, reconcile, the level watch).
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "app/config_reload.hpp"
#include "app/delivery_health.hpp"
#include "app/level_watch.hpp"
#include "app/server.hpp"
#include "common/metrics.hpp"
#include "config_slot.hpp"
#include "delivery_spool.hpp"
#include "live/live_hub.hpp"
#include "net/http_session.hpp"
#include "receiver.hpp"
#include "reconcile/author_lookup.hpp"
#include "reconcile/reconcile_schedule.hpp"
#include "redis/redis_link.hpp"

namespace lb::gateway {

// The webhook receivers and the spool they acknowledge into (absent in --role gateway).
struct receiving_side {
    std::unique_ptr<webhooks::delivery_spool> spool;
    std::unique_ptr<webhooks::receiver> receiver;
};
// nullopt (and the reason on stderr) when the spool cannot be used.
std::optional<receiving_side> open_receiving_side(const engine::config_slot& configs, redis_link& redis, const serve_options& options,
                                                  metrics& counters, delivery_health& health);

// The live side runs on a thread of its own, with its own Redis connection: writing a frame to
// thousands of viewers never delays a webhook's answer (absent in --role webhooks).
struct live_side {
    std::shared_ptr<redis_link> redis;
    std::shared_ptr<live_hub> hub;
    void stop(boost::asio::io_context& live_io);
};
live_side open_live_side(boost::asio::io_context& live_io, const engine::config_slot& configs, const serve_options& options,
                         const std::string& admin_token);

// What every HTTP and WebSocket session is given: the router, the hub and the limits.
std::shared_ptr<session_services> session_services_for(const engine::config& config, const serve_options& options,
                                                       std::shared_ptr<api_router> router, const live_side& live,
                                                       boost::asio::io_context* live_io, metrics& counters);

// SIGHUP reads the config file again (POST /api/config/reload does the same).
class reload_on_hangup {
public:
    reload_on_hangup(boost::asio::io_context& io, std::shared_ptr<config_reloader> reloader);
    void cancel() { signals_.cancel(); }

private:
    void wait();
    boost::asio::signal_set signals_;
    std::shared_ptr<config_reloader> reloader_;
};

// What runs beside the receivers: the spool's replay once Redis is back, the durability
// report, GitLab's author lookup, the reconcile schedule and the level watch.
struct receiver_duties {
    std::shared_ptr<boost::asio::steady_timer> replay_timer;
    std::shared_ptr<boost::asio::steady_timer> durability_timer;
    std::unique_ptr<author_lookup> authors;
    std::unique_ptr<reconcile_schedule> reconciling;
    std::unique_ptr<level_watch> levels;
    void cancel_timers();
};
receiver_duties start_receiver_duties(boost::asio::io_context& io, const engine::config_slot& configs, const serve_options& options,
                                      std::shared_ptr<redis_link> redis, receiving_side& receiving, metrics& counters);

// Runs action once Redis answers (checked every 100 ms).
void when_ready(std::shared_ptr<boost::asio::steady_timer> timer, std::shared_ptr<redis_link> redis, std::function<void()> action);

}  // namespace lb::gateway
