#include "common/metrics.hpp"

#include "common/error_boundary.hpp"

namespace lb::gateway {

std::string escape_label(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

void metrics::count_request(const std::string& route, int status) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
}

void metrics::count_award(const std::string& outcome) {
    std::lock_guard lock(mutex_);
    ++awards_[outcome];
}

void metrics::count_delivery(const std::string& host, const std::string& event, const std::string& outcome) {
    std::lock_guard lock(mutex_);
    ++deliveries_[{host, event, outcome}];
}

void metrics::count_reconcile(const std::string& contest, const std::string& result, const std::map<std::string, long long>& tallies) {
    std::lock_guard lock(mutex_);
    ++reconcile_runs_[{contest, result}];
    for (const auto& [what, count] : tallies) reconcile_prs_[{contest, what}] += static_cast<unsigned long long>(count);
}

std::string metrics::render(bool redis_ready, const engine::survival& acknowledgement) const {
    std::lock_guard lock(mutex_);
    std::string out = "# HELP lb_http_requests_total HTTP requests by route and status.\n"
                      "# TYPE lb_http_requests_total counter\n";
    for (const auto& [key, count] : requests_)
        out += "lb_http_requests_total{route=\"" + escape_label(key.first) + "\",status=\"" + std::to_string(key.second) + "\"} " +
               std::to_string(count) + "\n";
    out += "# HELP lb_awards_total Awards handed to the store, by outcome.\n# TYPE lb_awards_total counter\n";
    for (const auto& [outcome, count] : awards_)
        out += "lb_awards_total{outcome=\"" + escape_label(outcome) + "\"} " + std::to_string(count) + "\n";
    out += "# HELP lb_webhook_deliveries_total Webhook deliveries by host, event and outcome.\n"
           "# TYPE lb_webhook_deliveries_total counter\n";
    for (const auto& [key, count] : deliveries_)
        out += "lb_webhook_deliveries_total{host=\"" + escape_label(std::get<0>(key)) + "\",event=\"" + escape_label(std::get<1>(key)) +
               "\",outcome=\"" + escape_label(std::get<2>(key)) + "\"} " + std::to_string(count) + "\n";
    out += "# HELP lb_reconcile_runs_total Scheduled reconcile passes by contest and result.\n# TYPE lb_reconcile_runs_total counter\n";
    for (const auto& [key, count] : reconcile_runs_)
        out += "lb_reconcile_runs_total{contest=\"" + escape_label(key.first) + "\",result=\"" + escape_label(key.second) + "\"} " +
               std::to_string(count) + "\n";
    out += "# HELP lb_reconcile_pull_requests_total What scheduled reconcile passes found: seen, scored, redelivered, errors.\n"
           "# TYPE lb_reconcile_pull_requests_total counter\n";
    for (const auto& [key, count] : reconcile_prs_)
        out += "lb_reconcile_pull_requests_total{contest=\"" + escape_label(key.first) + "\",what=\"" + escape_label(key.second) + "\"} " +
               std::to_string(count) + "\n";
    auto gauge = [&out](const char* name, const char* type, const char* help, long long value) {
        out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
               std::to_string(value) + "\n";
    };
    gauge("lb_ws_sessions", "gauge", "Open WebSocket viewers.", ws_sessions_open.load());
    gauge("lb_ws_queued_bytes", "gauge", "Bytes queued to all viewers, not yet written.", ws_queued_bytes.load());
    gauge("lb_ws_frames_sent_total", "counter", "Frames written to viewers.", ws_frames_sent.load());
    gauge("lb_ws_frames_dropped_total", "counter", "Frames dropped for slow viewers (replaced by a snapshot).", ws_frames_dropped.load());
    gauge("lb_ws_closed_slow_total", "counter", "Viewers closed because a write stayed stuck.", ws_closed_slow.load());
    gauge("lb_ws_closed_flooding_total", "counter", "Viewers closed for sending more control messages than allowed.",
          ws_closed_flooding.load());
    gauge("lb_season_pages_computed_total", "counter", "Season board pages computed.", season_pages_computed.load());
    gauge("lb_season_pages_cached_total", "counter", "Season board reads answered with a page computed for the same state.",
          season_pages_cached.load());
    gauge("lb_limited_requests_total", "counter", "Requests answered 429: a client past its share of writes or failed credentials.",
          limited_requests.load());
    gauge("lb_season_pages_shared_total", "counter", "Season board reads answered by a computation another read had started.",
          season_pages_shared.load());
    gauge("lb_internal_errors_total", "counter", "Failures caught by the error boundary (each answered 500 or logged).",
          failures_reported());
    if (spool_depth) gauge("lb_spool_pending", "gauge", "Verified deliveries kept on disk, waiting to be applied.", spool_depth());
    out += "# HELP lb_redis_ready 1 when the Redis connection is up.\n# TYPE lb_redis_ready gauge\n";
    out += std::string("lb_redis_ready ") + (redis_ready ? "1" : "0") + "\n";
    out += "# HELP lb_acknowledgement_survives 1 when an acknowledged delivery survives the fault, with Redis's persistence "
           "settings and redis.durability as they are now.\n# TYPE lb_acknowledgement_survives gauge\n";
    for (auto [fault, kept] : {std::pair{"server_crash", acknowledgement.server_crash}, std::pair{"redis_crash", acknowledgement.redis_crash},
                               std::pair{"power_loss", acknowledgement.power_loss}})
        out += std::string("lb_acknowledgement_survives{fault=\"") + fault + "\"} " + (kept ? "1" : "0") + "\n";
    out += "# HELP lb_acknowledgement_mode How a delivery that reached Redis is acknowledged (applied, once_written, spooled).\n"
           "# TYPE lb_acknowledgement_mode gauge\n";
    out += std::string("lb_acknowledgement_mode{how=\"") + engine::acknowledgement_name(acknowledgement.how) + "\"} 1\n";
    return out;
}

}  // namespace lb::gateway
