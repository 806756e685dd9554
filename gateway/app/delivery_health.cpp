#include "app/delivery_health.hpp"

namespace lb::gateway {

void delivery_health::record(const std::string& host, const std::string& outcome, long long now_seconds) {
    if (host != "github" && host != "gitee") return;  // spool replays are not deliveries of a host
    std::lock_guard lock(mutex_);
    auto& state = hosts_[host];
    state.last_at = now_seconds;
    state.last_outcome = outcome;
    long long this_minute = now_seconds / 60;
    auto& bucket = state.minutes[static_cast<std::size_t>(this_minute % 60)];
    if (bucket.at != this_minute) bucket = {this_minute, {}};
    ++bucket.outcomes[outcome];
}

nlohmann::json delivery_health::snapshot(long long now_seconds) const {
    nlohmann::json out = nlohmann::json::object();
    std::lock_guard lock(mutex_);
    for (const char* host : {"github", "gitee"}) {
        nlohmann::json hour = nlohmann::json::object();
        auto it = hosts_.find(host);
        if (it == hosts_.end()) {
            out[host] = {{"last_delivery_at", nullptr}, {"last_outcome", nullptr}, {"last_hour", hour}};
            continue;
        }
        long long this_minute = now_seconds / 60;
        for (const auto& bucket : it->second.minutes)
            if (bucket.at > this_minute - 60)
                for (const auto& [outcome, count] : bucket.outcomes) hour[outcome] = hour.value(outcome, 0LL) + count;
        out[host] = {{"last_delivery_at", it->second.last_at}, {"last_outcome", it->second.last_outcome}, {"last_hour", hour}};
    }
    return out;
}

}  // namespace lb::gateway
