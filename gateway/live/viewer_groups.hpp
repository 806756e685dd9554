#pragma once
// Who watches what. Every viewer has one subscription; identical subscriptions form a group
// that shares one board read and one serialized frame. A large audience of one view is
// split into phases (frame_slots), each its own group, so one merge's writes are spread.
// Thread-safe: the hub's ticks and the viewers' connections call in from any thread.
#include <chrono>
#include <compare>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "standings.hpp"

namespace lb::gateway {

using shared_frame = std::shared_ptr<const std::string>;

// A viewer's connection as the hub sees it; deliver() may be called from any thread.
class live_client {
public:
    virtual ~live_client() = default;
    // snapshot: this frame replaces everything queued before it.
    virtual void deliver(shared_frame frame, bool snapshot) = 0;
};

struct group_key {
    std::string contest;
    std::string board;
    int limit = 0;
    int events = 0;
    bool admin = false;
    int phase = 0;
    auto operator<=>(const group_key&) const = default;
};

struct group_member {
    std::weak_ptr<live_client> client;
    std::string me;
};

struct viewer_group {
    const engine::contest* c = nullptr;
    std::vector<group_member> members;
    std::vector<group_member> waiting;  // joined before the first read finished
    std::vector<engine::standings_row> rows;
    long long total = 0;
    bool frozen = false;
    bool loaded = false;
    bool loading = false;
    bool freeze_seen = false;  // whether freeze_at had passed at the last read
    bool me_pending = false;
    nlohmann::json pending_events = nlohmann::json::array();  // seen in the log, not yet sent
    std::chrono::steady_clock::time_point next_slot;           // no frame before it
    long long seq = 0;
    std::chrono::steady_clock::time_point last_me;
};

class viewer_groups {
public:
    using map = std::map<group_key, viewer_group>;

    // Past phase_after viewers in a view's first phase, newcomers join the emptiest of `phases`.
    viewer_groups(std::size_t phase_after, int phases) : phase_after_(phase_after), phases_(phases) {}

    struct joined {
        group_key key;
        bool load = false;   // the group is new: its board must be read (then everyone waiting gets a snapshot)
        bool ready = false;  // the group is loaded: send this viewer a snapshot now
    };
    // Joins the viewer to the group of `key` (any phase), leaving its earlier one; a resync of
    // the same view keeps its group, its phase and its sequence.
    joined join(const std::shared_ptr<live_client>& client, const std::string& me, group_key key, const engine::contest* c);
    void leave(const live_client* client);

    std::size_t viewers() const;
    std::set<std::string> contests() const;
    std::vector<std::shared_ptr<live_client>> clients_of(const std::string& contest_id) const;

    // Runs f(groups) with the lock held; f must not call back into this object.
    template <class F>
    auto with(F&& f) {
        std::lock_guard lock(mutex_);
        return f(groups_);
    }

private:
    int pick_phase(group_key base) const;
    void leave_group(const group_key& key, const live_client* client);
    void leave_members(const group_key& key, const live_client* client);

    std::size_t phase_after_;
    int phases_;
    mutable std::mutex mutex_;
    map groups_;
    std::map<const live_client*, group_key> membership_;
};

}  // namespace lb::gateway
