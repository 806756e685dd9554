#include "redis_url.hpp"

#include <charconv>

namespace lb::engine {
namespace {

bool parse_int(std::string_view text, int& out, int low, int high) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size() && out >= low && out <= high;
}

}  // namespace

std::optional<redis_endpoint> parse_redis_url(const std::string& url) {
    std::string_view rest(url);
    if (!rest.starts_with("redis://")) return std::nullopt;
    rest.remove_prefix(8);
    redis_endpoint endpoint;
    auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos && slash + 1 < rest.size() &&
        !parse_int(rest.substr(slash + 1), endpoint.database, 0, 1 << 20))
        return std::nullopt;
    if (authority.find('@') != std::string_view::npos) return std::nullopt;
    auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
        if (!parse_int(authority.substr(colon + 1), endpoint.port, 1, 65535)) return std::nullopt;
        authority = authority.substr(0, colon);
    }
    if (!authority.empty()) endpoint.host = std::string(authority);
    return endpoint;
}

}  // namespace lb::engine
