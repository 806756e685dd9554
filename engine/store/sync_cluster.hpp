#pragma once
// The blocking client's way through a Redis Cluster: one connection per node, opened when a
// command first goes there; each pipeline split by node and its replies put back in order;
// MOVED re-reads the slot map and sends the command where it went, ASK sends it once to the
// importing node after ASKING, TRYAGAIN (keys split by a migration) waits and sends it again.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cluster_slots.hpp"

struct redisContext;

namespace lb::engine {

class sync_cluster {
public:
    // Reads the slot map from the first of `seeds` that answers; throws std::runtime_error if none.
    explicit sync_cluster(std::vector<redis_address> seeds);
    ~sync_cluster();
    sync_cluster(const sync_cluster&) = delete;
    sync_cluster& operator=(const sync_cluster&) = delete;

    std::vector<redis_value> exchange(const std::vector<std::vector<std::string>>& commands);

private:
    bool read_slot_map(std::string& why);
    redisContext* connection_to(const redis_address& node, std::string& why);
    void forget(const redis_address& node);
    std::vector<redis_value> exchange_on(const redis_address& node, const std::vector<std::vector<std::string>>& commands);
    redis_value follow_redirects(const std::vector<std::string>& command, redis_value reply);
    redis_address node_for(const std::vector<std::string>& command) const;

    std::vector<redis_address> seeds_;
    slot_map map_;
    std::map<std::string, redisContext*> open_;  // by "host:port"
};

// Opens a blocking connection (5 s timeouts); throws std::runtime_error naming the address.
redisContext* open_blocking_connection(const redis_address& address);
// Sends the commands pipelined on one connection; on a broken connection every missing reply
// is an error value.
std::vector<redis_value> pipeline_on(redisContext* context, const std::vector<std::vector<std::string>>& commands);

}  // namespace lb::engine
