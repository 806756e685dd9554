#pragma once
// Reloading the config file while serving (SIGHUP or POST /api/config/reload): the file is
// checked whole; on any error nothing changes and every error is answered. Otherwise the new
// contests get the run-time state of the ones they replace (freeze, final, the roster as stored
// in Redis) before they are published, so no request sees a contest without its imports.
// Sections read only at start (server, redis, live, the admin token's variable, the webhook
// secrets' variables) are named in the answer as needing a restart.
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "config_slot.hpp"
#include "redis_types.hpp"

namespace lb::gateway {

class contest_sync;

// Reads the secrets the config names by environment variable: judges' tokens, sign-in apps' client secrets (empty when unset).
void read_config_secrets(engine::config& config);

class config_reloader : public std::enable_shared_from_this<config_reloader> {
public:
    config_reloader(engine::config_slot& slot, engine::redis_executor& redis, contest_sync& sync, std::string path)
        : slot_(slot), redis_(redis), sync_(sync), path_(std::move(path)) {}

    // done(answer, ok): ok false when the file was refused (answer lists the problems).
    void reload(std::function<void(nlohmann::json, bool)> done);

private:
    engine::config_slot& slot_;
    engine::redis_executor& redis_;
    contest_sync& sync_;
    std::string path_;
    std::atomic<bool> running_{false};  // one reload at a time
};

}  // namespace lb::gateway
