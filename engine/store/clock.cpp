#include "clock.hpp"

#include <chrono>
#include <cstdlib>
#include <string>

namespace lb::engine {

namespace {

// LB_TEST_CLOCK_OFFSET_SECONDS moves this process's wall clock (the tests run the suite a year
// ahead with it, to find the dates that would break once they pass); read once.
std::int64_t offset_millis() {
    static const std::int64_t offset = [] {
        const char* text = std::getenv("LB_TEST_CLOCK_OFFSET_SECONDS");
        if (!text || !*text) return std::int64_t{0};
        try {
            return static_cast<std::int64_t>(std::stoll(text)) * 1000;
        } catch (const std::exception&) {
            return std::int64_t{0};
        }
    }();
    return offset;
}

}  // namespace

std::int64_t clock_offset_seconds() { return offset_millis() / 1000; }

unix_seconds now_seconds() { return now_millis() / 1000; }

std::int64_t now_millis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
           offset_millis();
}

}  // namespace lb::engine
