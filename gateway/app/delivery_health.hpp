#pragma once
// Webhook health for the console: per host, when the last delivery came and its outcomes
// over the last hour (in minute buckets). Kept in this process's memory: it shows what the
// receiver answering these deliveries saw since it started.
#include <array>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "common/run_time_views.hpp"

namespace lb::gateway {

class delivery_health : public webhook_health {
public:
    void record(const std::string& host, const std::string& outcome, long long now_seconds);
    // A pull request delivery's outcome for its repository (at most 200 repositories kept per host).
    void record_repo(const std::string& host, const std::string& repo, const std::string& outcome, long long now_seconds);
    // {"github": {"last_delivery_at": s|null, "last_outcome", "last_hour": {outcome: n},
    //             "repos": {"owner/name": {same fields}}}, ...}
    nlohmann::json snapshot(long long now_seconds) const override;

private:
    struct minute {
        long long at = -1;  // the minute (epoch seconds / 60) these counts belong to
        std::map<std::string, long long> outcomes;
    };
    struct source_state {
        long long last_at = 0;
        std::string last_outcome;
        std::array<minute, 60> minutes;
    };
    static void count(source_state& state, const std::string& outcome, long long now_seconds);
    static nlohmann::json describe(const source_state& state, long long now_seconds);
    mutable std::mutex mutex_;
    std::map<std::string, source_state> hosts_;
    std::map<std::string, std::map<std::string, source_state>> repos_;  // host -> repository
};

}  // namespace lb::gateway
