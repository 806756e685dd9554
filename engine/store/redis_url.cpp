#include "redis_url.hpp"

#include <charconv>
#include <regex>

namespace lb::engine {
namespace {

bool parse_int(std::string_view text, int& out, int low, int high) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size() && out >= low && out <= high;
}

// host[:port]; no user info (no passwords in URLs that end up in process lists and logs).
bool parse_address(std::string_view authority, redis_address& out) {
    if (authority.find('@') != std::string_view::npos) return false;
    auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
        if (!parse_int(authority.substr(colon + 1), out.port, 1, 65535)) return false;
        authority = authority.substr(0, colon);
    }
    if (!authority.empty()) out.host = std::string(authority);
    return true;
}

// h1[:port],h2[:port]...: at least one, at most 16, each with a host.
bool parse_address_list(std::string_view list, int default_port, std::vector<redis_address>& out) {
    while (!list.empty()) {
        auto comma = list.find(',');
        redis_address node{"127.0.0.1", default_port};
        auto item = list.substr(0, comma);
        if (item.empty() || item.front() == ':' || !parse_address(item, node)) return false;
        out.push_back(node);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return !out.empty() && out.size() <= 16;
}

std::optional<redis_endpoint> parse_cluster_url(std::string_view rest) {
    redis_endpoint endpoint;
    auto slash = rest.find('/');
    auto path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (!path.empty() && path != "0") return std::nullopt;  // Cluster has database 0 only
    if (!parse_address_list(rest.substr(0, slash), 6379, endpoint.cluster_nodes)) return std::nullopt;
    endpoint.host = endpoint.cluster_nodes.front().host;
    endpoint.port = endpoint.cluster_nodes.front().port;
    return endpoint;
}

std::optional<redis_endpoint> parse_sentinel_url(std::string_view rest) {
    redis_endpoint endpoint;
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) return std::nullopt;  // the primary's name is required
    std::string_view list = rest.substr(0, slash), path = rest.substr(slash + 1);
    if (!parse_address_list(list, 26379, endpoint.sentinels)) return std::nullopt;
    auto name_end = path.find('/');
    endpoint.primary_name = std::string(path.substr(0, name_end));
    static const std::regex name_pattern("[A-Za-z0-9_.-]{1,64}");
    if (!std::regex_match(endpoint.primary_name, name_pattern)) return std::nullopt;
    if (name_end != std::string_view::npos && name_end + 1 < path.size() &&
        !parse_int(path.substr(name_end + 1), endpoint.database, 0, 1 << 20))
        return std::nullopt;
    return endpoint;
}

}  // namespace

std::string redis_endpoint::describe() const {
    if (in_cluster()) return "the cluster of " + cluster_nodes.front().host + ":" + std::to_string(cluster_nodes.front().port);
    return through_sentinels() ? "the primary the sentinels name \"" + primary_name + "\""
                               : host + ":" + std::to_string(port);
}

std::optional<redis_endpoint> parse_redis_url(const std::string& url) {
    std::string_view rest(url);
    if (rest.starts_with("redis-sentinel://")) return parse_sentinel_url(rest.substr(17));
    if (rest.starts_with("redis-cluster://")) return parse_cluster_url(rest.substr(16));
    if (!rest.starts_with("redis://")) return std::nullopt;
    rest.remove_prefix(8);
    redis_endpoint endpoint;
    auto slash = rest.find('/');
    if (slash != std::string_view::npos && slash + 1 < rest.size() &&
        !parse_int(rest.substr(slash + 1), endpoint.database, 0, 1 << 20))
        return std::nullopt;
    redis_address direct;
    if (!parse_address(rest.substr(0, slash), direct)) return std::nullopt;
    endpoint.host = direct.host;
    endpoint.port = direct.port;
    return endpoint;
}

}  // namespace lb::engine
