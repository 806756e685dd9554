#pragma once
// Fans board changes out to live viewers. Every tick (10 ms) it reads the
// award log of each watched contest from Redis (award_feed: so any receiver
// process's awards reach every gateway process), re-reads the boards those
// awards touched, and sends each group of identical subscriptions (viewer_groups)
// one shared frame (live_frames). The stage reveal's steps come by stage_watch.
// A large audience is split into phases whose frame slots are staggered across
// the frame interval, so thousands of socket writes do not all happen at once.
#include <chrono>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "config_slot.hpp"
#include "live/award_feed.hpp"
#include "live/frame_slots.hpp"
#include "live/live_frames.hpp"
#include "live/stage_watch.hpp"
#include "live/viewer_groups.hpp"
#include "redis_types.hpp"

namespace lb::gateway {

struct hub_settings {
    // The award log is polled often so a merge is seen at once; each group of
    // viewers gets at most one frame per frame_interval (about 12 a second).
    std::chrono::milliseconds tick{10};
    std::chrono::milliseconds frame_interval{80};
    std::chrono::milliseconds me_refresh{1000};
    std::size_t recent_events = 20;
    // Past this many viewers in the first phase, newcomers are spread over frame_interval / tick
    // phases: each viewer still gets at most one frame per interval, but the writes for
    // one merge no longer queue behind those to every other viewer.
    std::size_t phase_after = 256;
    // Reads come from a replica: a board is used only when it holds at least the log position
    // viewers have been sent, so a replica that lags (or one switched to) never turns a board back.
    bool replica_reads = false;
};

class live_hub : public std::enable_shared_from_this<live_hub> {
public:
    live_hub(boost::asio::io_context& io, const engine::config_slot& config, engine::redis_executor& redis,
             std::string admin_token, hub_settings settings = {});
    void start();
    void stop();

    // Validates, joins the client to its group and sends it a snapshot (or an error frame).
    // Subscribing again (a resync, or another board) replaces the earlier subscription.
    void subscribe(const std::shared_ptr<live_client>& client, subscription sub);
    void unsubscribe(const live_client* client);
    std::size_t viewers() const;
    // The contests someone watches now, and a frame for every viewer of one of them.
    std::set<std::string> watched_contests() const;
    void broadcast(const std::string& contest_id, const shared_frame& frame);

private:
    using member = group_member;
    void schedule();
    void tick();
    void refresh_groups(const fresh_events& fresh);
    void refresh_group(const group_key& key, nlohmann::json events, std::function<void()> done);
    void send_update(const group_key& key, const engine::contest& c, const engine::standings_page& page, const nlohmann::json& events);
    void refresh_me(const group_key& key, std::vector<member> members);
    void load_group(const group_key& key);
    void read_group(const group_key& key);
    void read_board(const group_key& key, const engine::contest& c, engine::standings_handler done);
    void send_snapshot(const group_key& key, const member& m);
    static void send_error(const std::shared_ptr<live_client>& client, const std::string& message);

    boost::asio::io_context& io_;
    const engine::config_slot& config_;
    engine::redis_executor& redis_;
    std::string admin_token_;
    hub_settings settings_;
    boost::asio::steady_timer timer_;
    frame_slots slots_;
    viewer_groups groups_;
    std::shared_ptr<award_feed> feed_;
    std::shared_ptr<stage_watch> stage_;
    bool busy_ = false;
    bool stopped_ = false;
};

}  // namespace lb::gateway
