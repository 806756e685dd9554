#include "recent_tokens.hpp"

namespace lb::webhooks {

void recent_tokens::forget_oldest() {
    auto& [expiry, key] = by_expiry_.front();
    // A key taken again after it expired has a later entry of its own further back.
    if (auto it = expiry_of_.find(key); it != expiry_of_.end() && it->second == expiry) expiry_of_.erase(it);
    by_expiry_.pop_front();
}

bool recent_tokens::first_use(const std::string& key, long long now_ms, long long ttl_ms) {
    while (!by_expiry_.empty() && by_expiry_.front().first < now_ms) forget_oldest();
    if (expiry_of_.count(key)) return false;
    while (expiry_of_.size() >= capacity_ && !by_expiry_.empty()) forget_oldest();
    // The queue needs expiries in order: the ttl is the same for every key, and should the
    // clock step back, a key is kept until the latest expiry already queued.
    long long expiry = now_ms + ttl_ms;
    if (!by_expiry_.empty() && by_expiry_.back().first > expiry) expiry = by_expiry_.back().first;
    expiry_of_.emplace(key, expiry);
    by_expiry_.emplace_back(expiry, key);
    return true;
}

}  // namespace lb::webhooks
