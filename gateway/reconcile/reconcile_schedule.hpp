#pragma once
// Runs reconcile for every contest with reconcile_every_minutes, on a thread of its own
// (the host APIs are asked with blocking calls and may make us wait out a rate limit),
// with its own Redis connection, counting each pass in the metrics.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "config_slot.hpp"
#include "redis_url.hpp"
#include "reconcile/reconciler.hpp"

namespace lb::gateway {

class metrics;

class reconcile_schedule {
public:
    reconcile_schedule(const engine::config_slot& configs, engine::redis_endpoint redis, host_tokens tokens, metrics& counters);
    ~reconcile_schedule();  // stops and joins
    void start();           // does nothing when no contest asks for it

private:
    void loop();
    void pass(const engine::config& config, const engine::contest& c);

    const engine::config_slot& configs_;
    engine::redis_endpoint redis_;
    host_tokens tokens_;
    metrics& counters_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace lb::gateway
