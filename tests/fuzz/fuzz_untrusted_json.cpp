// The one entry point for JSON from outside: depth scan, parse, duplicate keys.
#include <cstdint>
#include <string>

#include "untrusted_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = lb::engine::parse_untrusted_json(text);
    if (parsed.ok()) {
        // Anything accepted serializes and parses back to the same value.
        auto again = lb::engine::parse_untrusted_json(lb::engine::to_text(parsed.value));
        if (!again.ok() || again.value != parsed.value) __builtin_trap();
    }
    return 0;
}
