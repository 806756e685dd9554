#pragma once
// Announces a person reaching a level: on a thread of its own, with its own Redis connection,
// it follows every contest's award log once a second; for each participant an award names who
// is a member of the community (by community id in the roster, or by login), it reads their
// activity across contests (engine/store/person_activity.hpp) and, when the level rose, logs a
// "level_up" entry on that contest's award log, which the live page shows like an award.
// Several processes may watch: the level kept in Redis only rises, so one announces it.
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "config_slot.hpp"
#include "redis_url.hpp"

namespace lb::engine {
class sync_redis;
}

namespace lb::gateway {

class level_watch {
public:
    level_watch(const engine::config_slot& configs, engine::redis_endpoint redis);
    ~level_watch();  // stops and joins
    void start();    // does nothing without a "community" block

private:
    void loop();
    void pass(engine::sync_redis& redis, const engine::config& cfg);
    // The participants the contest's log named since the last pass, each with the log id of their
    // latest award (none on the first pass: it starts at the tail).
    std::map<std::string, std::string> participants_logged(engine::sync_redis& redis, const engine::contest& c);
    void check(engine::sync_redis& redis, const engine::config& cfg, const std::string& person_id, const engine::contest& c,
               const engine::participant& p);

    const engine::config_slot& configs_;
    engine::redis_endpoint redis_;
    std::map<std::string, std::string> positions_;  // contest id -> last log id read
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace lb::gateway
