#include "utf8.hpp"

namespace lb::engine {

std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t i = 0, n = text.size();
    while (i < n) {
        unsigned char lead = bytes[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        // Lead byte: the sequence length and the range its second byte must lie in
        // (Unicode's table 3-7 of well-formed byte sequences).
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) length = 2;
        else if (lead == 0xE0) length = 3, low = 0xA0;
        else if (lead >= 0xE1 && lead <= 0xEC) length = 3;
        else if (lead == 0xED) length = 3, high = 0x9F;
        else if (lead >= 0xEE && lead <= 0xEF) length = 3;
        else if (lead == 0xF0) length = 4, low = 0x90;
        else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
        else if (lead == 0xF4) length = 4, high = 0x8F;
        else return i;
        if (n - i < length) return i;
        if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
        for (std::size_t k = 2; k < length; ++k)
            if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return i;
        i += length;
    }
    return std::nullopt;
}

bool has_control_characters(std::string_view text) {
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F) return true;
    }
    return false;
}

bool is_web_link(std::string_view text) {
    if (text.size() > 500 || !valid_utf8(text) || has_control_characters(text)) return false;
    auto rest = text.starts_with("https://") ? text.substr(8) : text.starts_with("http://") ? text.substr(7) : std::string_view{};
    if (rest.empty()) return false;
    for (unsigned char ch : rest)
        if (ch == ' ') return false;
    return true;
}

}  // namespace lb::engine
