#pragma once
// The configuration in force, replaceable while serving: a reload publishes a new generation,
// readers take the current one when they start a piece of work. Generations are never freed
// while the process runs (a reload is rare and a config is small), so a contest a request or a
// callback holds stays valid whatever reloads happen meanwhile.
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "contest.hpp"

namespace lb::engine {

class config_slot {
public:
    explicit config_slot(std::unique_ptr<config> first) { publish(std::move(first)); }
    config_slot(const config_slot&) = delete;
    config_slot& operator=(const config_slot&) = delete;

    const config& current() const { return *current_.load(std::memory_order_acquire); }
    // Makes next the configuration in force; answers its generation number (1 for the first).
    int publish(std::unique_ptr<config> next) {
        std::lock_guard lock(mutex_);
        generations_.push_back(std::move(next));
        current_.store(generations_.back().get(), std::memory_order_release);
        return static_cast<int>(generations_.size());
    }
    int generation() const {
        std::lock_guard lock(mutex_);
        return static_cast<int>(generations_.size());
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<config>> generations_;
    std::atomic<const config*> current_{nullptr};
};

}  // namespace lb::engine
