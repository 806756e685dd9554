#include "metrics.hpp"

namespace lb::gateway {

void metrics::count_request(const std::string& route, int status) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
}

void metrics::count_award(const std::string& outcome) {
    std::lock_guard lock(mutex_);
    ++awards_[outcome];
}

std::string metrics::render(bool redis_ready) const {
    std::lock_guard lock(mutex_);
    std::string out = "# HELP lb_http_requests_total HTTP requests by route and status.\n"
                      "# TYPE lb_http_requests_total counter\n";
    for (const auto& [key, count] : requests_)
        out += "lb_http_requests_total{route=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"} " +
               std::to_string(count) + "\n";
    out += "# HELP lb_awards_total Awards handed to the store, by outcome.\n# TYPE lb_awards_total counter\n";
    for (const auto& [outcome, count] : awards_)
        out += "lb_awards_total{outcome=\"" + outcome + "\"} " + std::to_string(count) + "\n";
    out += "# HELP lb_redis_ready 1 when the Redis connection is up.\n# TYPE lb_redis_ready gauge\n";
    out += std::string("lb_redis_ready ") + (redis_ready ? "1" : "0") + "\n";
    return out;
}

}  // namespace lb::gateway
