// Recording files given to `replay`: read whole or refused with a line number, never half.
#include <cstdint>
#include <string_view>

#include "recording.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto read = lb::engine::read_recording(text);
    if (auto* error = std::get_if<std::string>(&read)) {
        if (!error->starts_with("line ")) __builtin_trap();
        return 0;
    }
    const auto& rec = std::get<lb::engine::recording>(read);
    long long last = 0;
    for (const auto& item : rec.awards) {
        if (item.t_ms < last) __builtin_trap();
        last = item.t_ms;
    }
    return 0;
}
