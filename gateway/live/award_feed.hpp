#pragma once
// The award log of every contest the live hub watches: how far this process has
// read it, and its latest events (the ticker of a snapshot). The log is the one
// source of updates, so gateways in other processes follow the same awards.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config_slot.hpp"
#include "contest.hpp"
#include "redis_types.hpp"

namespace lb::gateway {

// One award-log entry as the screens use it: the boards it moved and the event shown.
struct log_event {
    std::vector<std::string> boards;
    nlohmann::json event;   // null for a marker
    bool rebuilt = false;   // a marker: a recompute swapped the boards in (viewers get fresh snapshots)
};
using fresh_events = std::map<std::string, std::vector<log_event>>;  // contest id -> new events, in log order

// Whether award-log (stream) id a comes before b; ids are "<ms>-<seq>".
bool log_id_before(const std::string& a, const std::string& b);

// An entry of an XRANGE reply ({id, {field, value, ...}}); nullopt for anything else.
std::optional<log_event> read_log_entry(const engine::contest& c, const engine::redis_value& entry);

class award_feed : public std::enable_shared_from_this<award_feed> {
public:
    award_feed(const engine::config_slot& config, engine::redis_executor& redis, std::size_t recent_events);

    // Takes the contest's log position (and its latest events) once, before the first
    // board read: an award after it reaches viewers as an update, never falls between.
    void start(const std::string& contest_id, std::function<void()> done);
    // What was logged since the last read, for the started ones of these contests.
    void read(const std::set<std::string>& contest_ids, std::function<void(fresh_events)> done);
    // The last log entry read for the contest ("0-0" before any).
    std::string log_position(const std::string& contest_id) const;
    // The latest events that touched the board, oldest first.
    nlohmann::json recent_for(const std::string& contest_id, const std::string& board) const;

private:
    struct position {
        std::string last_id;
        bool started = false;
        std::vector<log_event> recent;
    };
    void keep_recent(position& p, const std::vector<log_event>& fresh) const;

    const engine::config_slot& config_;
    engine::redis_executor& redis_;
    std::size_t recent_events_;
    mutable std::mutex mutex_;
    std::map<std::string, position> positions_;
};

}  // namespace lb::gateway
