// Request targets as a client sends them: path and query decoding, then what the live
// stream and the API read from the query.
#include <cstdint>
#include <string>

#include "common/request_target.hpp"
#include "live/live_frames.hpp"
#include "utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    std::string error;
    auto target = lb::gateway::parse_target(text, &error);
    if (!target) {
        if (error.empty()) __builtin_trap();  // a refusal always names the part at fault
        return 0;
    }
    for (const auto& segment : target->segments)
        if (!lb::engine::valid_utf8(segment) || lb::engine::has_control_characters(segment)) __builtin_trap();
    for (const auto& [key, value] : target->query) {
        if (!lb::engine::valid_utf8(key) || !lb::engine::valid_utf8(value)) __builtin_trap();
        lb::gateway::parse_bounded(value, 0, 1'000'000);
    }
    lb::gateway::parse_subscription(target->query);
    return 0;
}
