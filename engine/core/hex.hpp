#pragma once
#include <cstddef>
#include <string>

namespace lb::engine {

// Lower-case hex of raw bytes (digests, random ids).
inline std::string to_hex(const unsigned char* bytes, std::size_t length) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (std::size_t i = 0; i < length; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 15];
    }
    return out;
}

}  // namespace lb::engine
