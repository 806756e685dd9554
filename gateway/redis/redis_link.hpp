#pragma once
// What the server holds of its Redis: started once, ready or not, and the executor the store
// writes through. A single Redis (direct or found through Sentinel) is one redis_client; a Redis
// Cluster is a cluster_client over one redis_client per node.
#include <chrono>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "redis_types.hpp"
#include "redis_url.hpp"

namespace lb::gateway {

class redis_link : public engine::redis_executor {
public:
    virtual void start() = 0;
    virtual void stop() = 0;
    // True once commands can go out (connected, set up; in a cluster: the slot map read and
    // every node in it connected); readyz reports this.
    virtual bool ready() const = 0;
};

std::shared_ptr<redis_link> make_redis_link(boost::asio::io_context& io, engine::redis_endpoint endpoint,
                                            std::chrono::milliseconds command_timeout);

}  // namespace lb::gateway
