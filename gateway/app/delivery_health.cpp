#include "app/delivery_health.hpp"

#include "hosts.hpp"

namespace lb::gateway {

void delivery_health::count(source_state& state, const std::string& outcome, long long now_seconds) {
    state.last_at = now_seconds;
    state.last_outcome = outcome;
    long long this_minute = now_seconds / 60;
    auto& bucket = state.minutes[static_cast<std::size_t>(this_minute % 60)];
    if (bucket.at != this_minute) bucket = {this_minute, {}};
    ++bucket.outcomes[outcome];
}

nlohmann::json delivery_health::describe(const source_state& state, long long now_seconds) {
    nlohmann::json hour = nlohmann::json::object();
    long long this_minute = now_seconds / 60;
    for (const auto& bucket : state.minutes)
        if (bucket.at > this_minute - 60)
            for (const auto& [outcome, n] : bucket.outcomes) hour[outcome] = hour.value(outcome, 0LL) + n;
    return {{"last_delivery_at", state.last_at}, {"last_outcome", state.last_outcome}, {"last_hour", hour}};
}

void delivery_health::record(const std::string& host, const std::string& outcome, long long now_seconds) {
    if (!engine::find_host(host)) return;  // spool replays are not deliveries of a host
    std::lock_guard lock(mutex_);
    count(hosts_[host], outcome, now_seconds);
}

void delivery_health::record_repo(const std::string& host, const std::string& repo, const std::string& outcome, long long now_seconds) {
    if (!engine::find_host(host)) return;
    std::lock_guard lock(mutex_);
    auto& repos = repos_[host];
    // Signed deliveries only reach here, but a host may serve many repositories: keep it bounded.
    if (!repos.count(repo) && repos.size() >= 200) return;
    count(repos[repo], outcome, now_seconds);
}

nlohmann::json delivery_health::snapshot(long long now_seconds) const {
    nlohmann::json out = nlohmann::json::object();
    std::lock_guard lock(mutex_);
    for (const auto& known : engine::all_hosts()) {
        std::string host(known.id);
        auto it = hosts_.find(host);
        nlohmann::json entry = it == hosts_.end()
                                   ? nlohmann::json{{"last_delivery_at", nullptr}, {"last_outcome", nullptr}, {"last_hour", nlohmann::json::object()}}
                                   : describe(it->second, now_seconds);
        nlohmann::json repos = nlohmann::json::object();
        if (auto r = repos_.find(host); r != repos_.end())
            for (const auto& [repo, state] : r->second) repos[repo] = describe(state, now_seconds);
        entry["repos"] = repos;
        out[host] = entry;
    }
    return out;
}

}  // namespace lb::gateway
