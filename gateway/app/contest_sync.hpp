#pragma once
// Keeps this process's view of each contest's run-time state (imported teams and
// participants, disqualifications, members' chapter moves, an organizer's freeze or unfreeze) in step with
// Redis, where any process may have changed it. Polls twice a second; the process
// that made a change calls refresh() to see it at once.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "config_slot.hpp"
#include "award_store.hpp"
#include "contest.hpp"
#include "redis_types.hpp"
#include "common/run_time_views.hpp"

namespace lb::gateway {

class contest_sync : public roster_refresh, public std::enable_shared_from_this<contest_sync> {
public:
    contest_sync(boost::asio::io_context& io, const engine::config_slot& config, engine::redis_executor& redis);
    void start();
    void stop();
    // After a config reload: the next poll loads every contest again (the objects are new).
    void forget_revisions();
    // Re-reads one contest's roster and freeze state now; done(error) once published.
    void refresh(const engine::contest& c, std::function<void(std::string)> done) override;

private:
    void schedule();
    void poll();
    void apply_poll(const std::vector<engine::redis_value>& replies);
    void apply_freeze(const engine::contest& c, const engine::redis_value& frozen_now, const engine::redis_value& unfrozen);
    void load(const engine::contest& c, std::function<void(std::string)> done);

    boost::asio::steady_timer timer_;
    const engine::config_slot& config_;
    engine::redis_executor& redis_;
    engine::award_store store_;
    std::mutex mutex_;
    std::map<std::string, std::string> revisions_;  // contest -> roster revision last loaded
    std::string moves_seen_;                        // the community's count of chapter moves
    bool stopped_ = false;
};

}  // namespace lb::gateway
