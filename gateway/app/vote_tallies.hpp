#pragma once
// Turns votes into points: once a second, every vote whose tallies may be shown (after its close,
// or live) is tallied again when its ballots changed since (engine/store/vote_store.hpp). Every
// gateway may run it: a tally's awards carry the ballots' version, so a second one is "unchanged".
#include <atomic>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "config_slot.hpp"
#include "redis/redis_link.hpp"

namespace lb::gateway {

class vote_tallies : public std::enable_shared_from_this<vote_tallies> {
public:
    vote_tallies(boost::asio::io_context& io, const engine::config_slot& configs, std::shared_ptr<redis_link> redis);
    void start();
    void stop() { timer_.cancel(); }

private:
    void wait();
    void pass();

    boost::asio::steady_timer timer_;
    const engine::config_slot& configs_;
    std::shared_ptr<redis_link> redis_;
    std::atomic<int> running_{0};  // tallies of the last pass still going: the next pass waits for them
};

}  // namespace lb::gateway
