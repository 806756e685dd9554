#pragma once
// A small non-blocking HTTP/1.1 load client for the benchmarks: many
// keep-alive connections on one thread, one request in flight per connection.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace lb::bench {

struct http_result {
    int status = 0;
    std::chrono::nanoseconds latency{0};
};

// Runs until next_request returns an empty string on every connection or the
// deadline passes. next_request(connection index) builds the full request text.
struct load_run {
    std::string host = "127.0.0.1";
    int port = 8080;
    int connections = 32;
    std::chrono::seconds duration{20};
    std::function<std::string(int)> next_request;
    std::function<void(const http_result&)> on_result;
};

// Returns an error message, or "" when the run completed.
std::string run_load(const load_run& run);

}  // namespace lb::bench
