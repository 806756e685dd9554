#include "api/side_threads.hpp"

#include <atomic>
#include <thread>

#include "common/error_boundary.hpp"

namespace lb::gateway {
namespace {
std::atomic<int> running{0};
}  // namespace

void run_on_side_thread(std::function<void()> work) {
    ++running;
    std::thread([work = std::move(work)] {
        struct done {
            ~done() { --running; }
        } leaving;
        try {
            work();
        } catch (...) {
            report_current_exception("a side thread");
        }
    }).detach();
}

void wait_for_side_threads(std::chrono::seconds longest) {
    auto until = std::chrono::steady_clock::now() + longest;
    while (running.load() > 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

}  // namespace lb::gateway
