#pragma once
#include <optional>
#include <string>
#include <vector>

namespace lb::engine {

struct redis_address {
    std::string host = "127.0.0.1";
    int port = 6379;
};

// redis://host:port/db (port defaults to 6379, db to 0), or
// redis-sentinel://h1:26379,h2:26379/primary-name[/db]: the primary is whichever node those
// sentinels name (port defaults to 26379), asked again at every reconnect. No password support
// yet: the engine expects a private Redis on loopback or a private network.
struct redis_endpoint {
    std::string host = "127.0.0.1";
    int port = 6379;
    int database = 0;
    std::vector<redis_address> sentinels;  // empty: host and port are the Redis to use
    std::string primary_name;              // the name the sentinels monitor it under
    bool prefer_replica = false;           // reads only: a healthy replica the sentinels list, else the primary

    bool through_sentinels() const { return !sentinels.empty(); }
    std::string describe() const;  // for messages: "127.0.0.1:6379" or "sentinels of mymaster"
};

std::optional<redis_endpoint> parse_redis_url(const std::string& url);

}  // namespace lb::engine
