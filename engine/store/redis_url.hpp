#pragma once
#include <optional>
#include <string>

namespace lb::engine {

// redis://host:port/db (port defaults to 6379, db to 0). No password support
// yet: the engine expects a private Redis on loopback or a private network.
struct redis_endpoint {
    std::string host = "127.0.0.1";
    int port = 6379;
    int database = 0;
};

std::optional<redis_endpoint> parse_redis_url(const std::string& url);

}  // namespace lb::engine
