#include "reconcile/reconcile_schedule.hpp"

#include <iostream>
#include <map>

#include "common/error_boundary.hpp"
#include "common/metrics.hpp"
#include "clock.hpp"

namespace lb::gateway {

reconcile_schedule::reconcile_schedule(const engine::config_slot& configs, engine::redis_endpoint redis, host_tokens tokens,
                                       metrics& counters)
    : configs_(configs), redis_(std::move(redis)), tokens_(std::move(tokens)), counters_(counters) {}

reconcile_schedule::~reconcile_schedule() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void reconcile_schedule::start() {
    // The config may be reloaded to ask for it later: the thread runs whenever the process does.
    thread_ = std::thread([this] { loop(); });
}

void reconcile_schedule::loop() {
    std::map<std::string, engine::unix_seconds> next_due;  // by contest; the first pass right after start
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, std::chrono::seconds(5));
        if (stopping_) return;
        const auto& config = configs_.current();
        auto now = engine::now_seconds();
        for (const auto& c : config.contests) {
            if (c.reconcile_every_minutes <= 0) continue;
            auto due = next_due.try_emplace(c.id, now).first;
            if (now < due->second) continue;
            lock.unlock();
            shielded("a scheduled reconcile", [&] { pass(config, c); });
            lock.lock();
            due->second = engine::now_seconds() + c.reconcile_every_minutes * 60;
            if (stopping_) return;
        }
    }
}

void reconcile_schedule::pass(const engine::config& config, const engine::contest& c) {
    std::map<std::string, long long> tallies;
    try {
        engine::sync_redis redis(redis_);
        reconciler job(config, c, redis, tokens_);
        reconcile_options options;
        options.progress = [&c](const std::string& line) { std::cerr << "reconcile " << c.id << ": " << line << "\n"; };
        options.longest_wait = std::chrono::seconds(c.reconcile_every_minutes * 60);
        options.wait = [this](std::chrono::seconds how_long) {
            std::unique_lock lock(mutex_);
            return !wake_.wait_for(lock, how_long, [this] { return stopping_; });
        };
        auto summary = job.run(options);
        tallies = {{"seen", summary.seen}, {"scored", summary.scored}, {"redelivered", summary.redelivered}, {"errors", summary.errors}};
        counters_.count_reconcile(c.id, summary.errors ? "errors" : "ok", tallies);
    } catch (const std::exception& error) {
        std::cerr << "reconcile " << c.id << ": stopped: " << error.what() << "\n";
        counters_.count_reconcile(c.id, "errors", {{"errors", 1}});
    }
}

}  // namespace lb::gateway
