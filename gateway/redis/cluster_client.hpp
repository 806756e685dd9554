#pragma once
// The server's way through a Redis Cluster, on hiredis 0.14 (which has no cluster support): one
// redis_client per node (each pipelined, with its own timeouts and reconnects), the slot map
// read with CLUSTER SLOTS, and every batch split by the node that serves each command's key,
// its replies put back in order. MOVED updates the map (and re-reads it), ASK sends the one
// command to the importing node after ASKING, TRYAGAIN waits and sends again; a node that
// cannot be reached makes the map be read again (its replica may have taken over).
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "cluster_slots.hpp"
#include "redis/redis_client.hpp"

namespace lb::gateway {

class cluster_client : public redis_link, public std::enable_shared_from_this<cluster_client> {
public:
    cluster_client(boost::asio::io_context& io, engine::redis_endpoint endpoint, std::chrono::milliseconds command_timeout);

    void start() override;
    void stop() override;
    bool ready() const override;
    void execute(std::vector<engine::redis_command> commands, engine::redis_batch_handler handler) override;

    // Changes whenever any node's connection is made again or the map changes.
    unsigned long long connection_epoch() const override;
    // A WAIT on every primary: the writes since `epoch` may have gone to any of them.
    void wait_for_replicas(unsigned long long epoch, int replicas, int timeout_ms, std::function<void(bool)> done) override;
    // The weakest of the primaries' settings: an award may land on any of them.
    engine::redis_persistence persistence() const override;
    void wait_until_written(unsigned long long epoch, int timeout_ms, std::function<void(bool)> done) override;

private:
    // done(true) once `ask` confirmed on every primary (connection unchanged since `epoch`).
    void on_every_primary(unsigned long long epoch, std::function<void(bool)> done,
                          const std::function<void(redis_client&, std::function<void(bool)>)>& ask);
    struct batch;
    void route(std::shared_ptr<batch> group, std::vector<std::size_t> indexes);
    void settle(std::shared_ptr<batch> group, std::size_t index, engine::redis_value reply);
    void send_to(std::shared_ptr<batch> group, std::size_t index, const engine::redis_address& node, bool asking);
    std::shared_ptr<redis_client> node(const engine::redis_address& address);
    engine::redis_address node_for(const engine::redis_command& command) const;
    void refresh_map();
    void read_map_from(std::vector<std::shared_ptr<redis_client>> candidates, std::size_t next);
    void keep_map_fresh();

    boost::asio::io_context& io_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    engine::redis_endpoint endpoint_;
    std::chrono::milliseconds command_timeout_;
    // Written on the strand; ready() and connection_epoch() read them from any thread.
    mutable std::mutex nodes_mutex_;
    std::map<std::string, std::shared_ptr<redis_client>> nodes_;  // by "host:port"
    std::vector<std::shared_ptr<redis_client>> primaries_;          // the nodes the map names
    std::optional<engine::slot_map> map_;
    std::atomic<unsigned long long> map_version_{0};
    bool refreshing_ = false;
    bool refresh_again_ = false;
    bool stopped_ = false;
    boost::asio::steady_timer refresh_timer_;
};

}  // namespace lb::gateway
