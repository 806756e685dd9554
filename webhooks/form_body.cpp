#include "form_body.hpp"

#include <charconv>

namespace lb::webhooks {

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '+' && plus_is_space) {
            out += ' ';
        } else if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            int value = 0;
            auto [end, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
            if (ec != std::errc{} || end != text.data() + i + 3) return std::nullopt;
            out += static_cast<char>(value);
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<std::string> form_field(std::string_view body, std::string_view name) {
    while (!body.empty()) {
        auto amp = body.find('&');
        auto pair = body.substr(0, amp);
        auto equals = pair.find('=');
        if (equals != std::string_view::npos && pair.substr(0, equals) == name)
            return percent_decode(pair.substr(equals + 1), true);
        if (amp == std::string_view::npos) break;
        body.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

}  // namespace lb::webhooks
