// What a viewer may send over the WebSocket.
#include <cstdint>
#include <string>

#include "live/live_frames.hpp"
#include "untrusted_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = lb::gateway::parse_client_message(text);
    if (auto* error = std::get_if<std::string>(&parsed)) {
        lb::engine::to_text({{"type", "error"}, {"message", *error}});  // the error frame must serialize
        return 0;
    }
    const auto& sub = std::get<lb::gateway::client_message>(parsed).sub;
    if (sub.limit < 0 || sub.limit > lb::gateway::max_live_limit) __builtin_trap();
    return 0;
}
