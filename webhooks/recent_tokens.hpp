#pragma once
// The Gitee (timestamp, token) pairs this process has accepted, each kept for a
// time to live: the replay guard for when Redis (the shared guard) is down.
// Pairs expire in the order they were taken, so expiry is a pop from the front
// of a queue: a check costs O(1) amortized however long the window and however
// many pairs are kept (a scan of every pair per delivery took ~1 ms at 100,000).
#include <cstddef>
#include <deque>
#include <string>
#include <unordered_map>
#include <utility>

namespace lb::webhooks {

class recent_tokens {
public:
    // capacity: past it the oldest pair is forgotten first (Redis still guards it).
    explicit recent_tokens(std::size_t capacity = 1000000) : capacity_(capacity) {}

    // True, and the key is kept until now_ms + ttl_ms, when it is not kept already.
    bool first_use(const std::string& key, long long now_ms, long long ttl_ms);
    // The key is no longer kept (its queue entry expires harmlessly later).
    void forget(const std::string& key) { expiry_of_.erase(key); }
    std::size_t size() const { return expiry_of_.size(); }

private:
    void forget_oldest();

    std::size_t capacity_;
    std::unordered_map<std::string, long long> expiry_of_;
    std::deque<std::pair<long long, std::string>> by_expiry_;  // oldest first
};

}  // namespace lb::webhooks
