#pragma once
// A blocking redis_executor for the command-line tools and tests; the server
// never uses it on a request path (see gateway/redis_client.hpp).
#include <memory>
#include <string>
#include <vector>

#include "redis_types.hpp"
#include "redis_url.hpp"

struct redisContext;
struct redisReply;

namespace lb::engine {

redis_value to_redis_value(const redisReply* reply);
class sync_cluster;

class sync_redis : public redis_executor {
public:
    // Throws std::runtime_error when the server cannot be reached.
    explicit sync_redis(const redis_endpoint& endpoint);
    ~sync_redis() override;
    sync_redis(const sync_redis&) = delete;
    sync_redis& operator=(const sync_redis&) = delete;

    void execute(std::vector<redis_command> commands, redis_batch_handler handler) override;
    redis_value run(std::vector<std::string> argv);  // one command, one reply

private:
    std::vector<redis_value> exchange(const std::vector<std::vector<std::string>>& commands);
    redisContext* context_ = nullptr;          // one Redis (direct, or the primary the sentinels name)
    std::unique_ptr<sync_cluster> cluster_;    // or a Redis Cluster
};

}  // namespace lb::engine
