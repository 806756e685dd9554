#include "common/error_boundary.hpp"

#include <iostream>
#include <mutex>
#include <vector>

namespace lb::gateway {

namespace {

std::atomic<long long> reported{0};

// Routes whose answers were being unwound by the exception this thread is about to report.
thread_local std::vector<std::string> unwound_routes;

class answer_guard {
public:
    answer_guard(respond_fn respond, std::string route) : respond_(std::move(respond)), route_(std::move(route)) {}
    ~answer_guard() {
        if (answered_.exchange(true)) return;
        if (std::uncaught_exceptions() > 0) unwound_routes.push_back(route_);
        else report_failure(route_, "a handler dropped its request without answering");
        try {
            respond_(json_error(500, "internal", "the server failed on this request; it was logged, please try again"));
        } catch (...) {
            // The connection is gone too; nothing more to do.
        }
    }
    void answer(api_response response) {
        if (!answered_.exchange(true)) respond_(std::move(response));
    }

private:
    respond_fn respond_;
    std::string route_;
    std::atomic<bool> answered_{false};
};

}  // namespace

respond_fn answer_once(respond_fn respond, std::string route_label) {
    auto guard = std::make_shared<answer_guard>(std::move(respond), std::move(route_label));
    return [guard](api_response response) { guard->answer(std::move(response)); };
}

void report_failure(std::string_view where, std::string_view what) {
    ++reported;
    std::string routes;
    for (const auto& route : unwound_routes) routes += (routes.empty() ? "" : ", ") + route;
    unwound_routes.clear();
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::cerr << "internal error in " << where << (routes.empty() ? "" : " (answered 500 to " + routes + ")") << ": " << what << "\n";
}

void report_current_exception(std::string_view where) {
    try {
        throw;
    } catch (const std::exception& error) {
        report_failure(where, error.what());
    } catch (...) {
        report_failure(where, "an exception of unknown type");
    }
}

long long failures_reported() { return reported.load(); }

}  // namespace lb::gateway
