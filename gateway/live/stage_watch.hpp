#pragma once
// Follows the stage reveal of every contest someone watches: a presenter's step is a
// new revision of keys::reveal, and each one goes to every viewer of that contest as a
// "reveal" frame, whichever gateway process the step was posted to.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "redis_types.hpp"
#include "stage_reveal.hpp"

namespace lb::gateway {

// {"type":"reveal","reveal":{active, board, rows, step, auto, pace_seconds, rev}}
std::string reveal_frame(const engine::reveal_state& state);

class stage_watch : public std::enable_shared_from_this<stage_watch> {
public:
    using watched_fn = std::function<std::set<std::string>()>;
    using broadcast_fn = std::function<void(const std::string& contest_id, std::shared_ptr<const std::string> frame)>;

    stage_watch(boost::asio::io_context& io, engine::redis_executor& redis, watched_fn watched, broadcast_fn broadcast,
                std::chrono::milliseconds interval = std::chrono::milliseconds(100));
    void start();
    void stop();

private:
    void schedule();
    void poll();

    engine::redis_executor& redis_;
    watched_fn watched_;
    broadcast_fn broadcast_;
    std::chrono::milliseconds interval_;
    boost::asio::steady_timer timer_;
    std::map<std::string, long long> seen_;  // the last revision sent, by contest (only touched on the io thread)
    bool stopped_ = false;
};

}  // namespace lb::gateway
