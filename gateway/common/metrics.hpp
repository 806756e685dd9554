#pragma once
// Counters exposed at /metrics in the Prometheus text format. Label values are
// escaped as the format requires (backslash, double quote, line feed).
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "durability.hpp"

namespace lb::gateway {

// A label value as the Prometheus text format writes it inside double quotes.
std::string escape_label(std::string_view value);

class metrics {
public:
    // Live viewers: updated by websocket_session on its own strand, hence atomics.
    std::atomic<long long> ws_sessions_open{0};
    std::atomic<long long> ws_queued_bytes{0};
    std::atomic<long long> ws_frames_sent{0};
    std::atomic<long long> ws_frames_dropped{0};
    std::atomic<long long> ws_closed_slow{0};
    std::atomic<long long> ws_closed_flooding{0};
    // Season boards: pages computed, and reads answered from a page computed for the same state.
    std::atomic<long long> season_pages_computed{0};
    std::atomic<long long> season_pages_cached{0};
    std::atomic<long long> season_pages_shared{0};  // reads that took a computation already running
    std::atomic<long long> limited_requests{0};     // answered 429: a client past its share

    // route: the route table's pattern (or "unmatched"), never text from the request.
    // How many verified deliveries wait in the spool (unset: this process keeps none).
    std::function<long long()> spool_depth;

    void count_request(const std::string& route, int status);
    void count_award(const std::string& outcome);
    void count_delivery(const std::string& host, const std::string& event, const std::string& outcome);
    // One scheduled reconcile pass: result "ok" or "errors"; tallies by "seen", "scored", "redelivered", "errors".
    void count_reconcile(const std::string& contest, const std::string& result, const std::map<std::string, long long>& tallies);
    std::string render(bool redis_ready, const engine::survival& acknowledgement = {}) const;

private:
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, unsigned long long> requests_;
    std::map<std::string, unsigned long long> awards_;
    std::map<std::tuple<std::string, std::string, std::string>, unsigned long long> deliveries_;
    std::map<std::pair<std::string, std::string>, unsigned long long> reconcile_runs_;
    std::map<std::pair<std::string, std::string>, unsigned long long> reconcile_prs_;
};

}  // namespace lb::gateway
