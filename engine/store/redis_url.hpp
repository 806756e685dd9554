#pragma once
#include <optional>
#include <string>
#include <vector>

namespace lb::engine {

struct redis_address {
    std::string host = "127.0.0.1";
    int port = 6379;
    bool operator==(const redis_address&) const = default;
};

// redis://host:port/db (port defaults to 6379, db to 0), or
// redis-sentinel://h1:26379,h2:26379/primary-name[/db]: the primary is whichever node those
// sentinels name (port defaults to 26379), asked again at every reconnect, or
// redis-cluster://h1:7000,h2:7001/: a Redis Cluster those nodes belong to (any one is enough to
// read the slot map; database 0 only, as Cluster has no other). No password support
// yet: the engine expects a private Redis on loopback or a private network.
struct redis_endpoint {
    std::string host = "127.0.0.1";
    int port = 6379;
    int database = 0;
    std::vector<redis_address> sentinels;  // empty: host and port are the Redis to use
    std::string primary_name;              // the name the sentinels monitor it under
    bool prefer_replica = false;           // reads only: a healthy replica the sentinels list, else the primary
    std::vector<redis_address> cluster_nodes;  // set: a Redis Cluster, these nodes asked for its slot map

    bool through_sentinels() const { return !sentinels.empty(); }
    bool in_cluster() const { return !cluster_nodes.empty(); }
    std::string describe() const;  // for messages: "127.0.0.1:6379", "the primary the sentinels name …", "the cluster of …"
};

std::optional<redis_endpoint> parse_redis_url(const std::string& url);

}  // namespace lb::engine
