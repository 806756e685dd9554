#include "api/request_target.hpp"

#include "form_body.hpp"

#include <charconv>

namespace lb::gateway {

using webhooks::percent_decode;

std::optional<request_target> parse_target(std::string_view target) {
    if (target.empty() || target[0] != '/') return std::nullopt;
    request_target out;
    auto question = target.find('?');
    std::string_view path = target.substr(0, question);
    std::size_t start = 1;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        auto piece = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (!piece.empty()) {
            auto decoded = percent_decode(piece, false);
            if (!decoded) return std::nullopt;
            out.segments.push_back(std::move(*decoded));
        }
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    if (question == std::string_view::npos) return out;
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        auto equals = pair.find('=');
        auto key = percent_decode(pair.substr(0, equals), true);
        auto value = percent_decode(equals == std::string_view::npos ? "" : pair.substr(equals + 1), true);
        if (!key || !value) return std::nullopt;
        if (!key->empty()) out.query[*key] = *value;
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out;
}

std::optional<long long> parse_bounded(const std::string& text, long long low, long long high) {
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < low || value > high)
        return std::nullopt;
    return value;
}

}  // namespace lb::gateway
