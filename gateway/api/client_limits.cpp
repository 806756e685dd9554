#include "api/client_limits.hpp"

#include <algorithm>
#include <cmath>

namespace lb::gateway {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool looks_like_ip(std::string_view text) {
    if (text.empty() || text.size() > 45) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
    });
}

bool trusted_one(std::string_view address, const std::vector<std::string>& trusted) {
    return std::find(trusted.begin(), trusted.end(), address) != trusted.end();
}

}  // namespace

std::string client_address(std::string_view peer, std::string_view forwarded_for, const std::vector<std::string>& trusted) {
    if (!trusted_one(peer, trusted)) return std::string(peer);
    std::string_view last_trusted = peer;
    while (!forwarded_for.empty()) {
        auto comma = forwarded_for.rfind(',');
        auto hop = trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
        forwarded_for = comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
        if (!looks_like_ip(hop)) break;
        if (!trusted_one(hop, trusted)) return std::string(hop);
        last_trusted = hop;
    }
    return std::string(last_trusted);
}

const rate_rule& client_limits::rule(bucket which) const {
    return which == bucket::public_writes ? settings_.public_writes : settings_.failed_credentials;
}

client_limits::state& client_limits::refill(bucket which, const std::string& client, double now) {
    const auto& r = rule(which);
    auto key = (which == bucket::public_writes ? "w|" : "f|") + client;
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        make_room(now);
        it = buckets_.emplace(std::move(key), state{r.burst, now}).first;
    }
    auto& s = it->second;
    if (now > s.at) s.tokens = std::min(r.burst, s.tokens + (now - s.at) * r.per_minute / 60.0);
    s.at = std::max(s.at, now);
    return s;
}

// A bucket that refilled is the same as none: those go first; if every client is still paying
// back, the one idle longest goes (a flood from many addresses cannot grow the map without end).
void client_limits::make_room(double now) {
    if (buckets_.size() < settings_.clients_kept) return;
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        const auto& r = it->first.starts_with("w|") ? settings_.public_writes : settings_.failed_credentials;
        bool full = it->second.tokens + (now - it->second.at) * r.per_minute / 60.0 >= r.burst;
        it = full ? buckets_.erase(it) : std::next(it);
    }
    if (buckets_.size() < settings_.clients_kept) return;
    auto oldest = std::min_element(buckets_.begin(), buckets_.end(), [](const auto& a, const auto& b) { return a.second.at < b.second.at; });
    buckets_.erase(oldest);
}

std::optional<long long> client_limits::take(bucket which, const std::string& client, double now) { return use(which, client, now, true); }

std::optional<long long> client_limits::peek(bucket which, const std::string& client, double now) { return use(which, client, now, false); }

std::optional<long long> client_limits::use(bucket which, const std::string& client, double now, bool take) {
    std::lock_guard lock(mutex_);
    auto& s = refill(which, client, now);
    if (s.tokens >= 1) {
        if (take) s.tokens -= 1;
        return std::nullopt;
    }
    const auto& r = rule(which);
    if (r.per_minute <= 0) return 60;
    return std::max(1LL, static_cast<long long>(std::ceil((1 - s.tokens) * 60.0 / r.per_minute)));
}

void client_limits::reconfigure(client_limit_settings next) {
    std::lock_guard lock(mutex_);
    settings_ = std::move(next);
}

std::size_t client_limits::clients() const {
    std::lock_guard lock(mutex_);
    return buckets_.size();
}

}  // namespace lb::gateway
