#pragma once
// What a route handler gets: the process's shared parts (app_context) and one
// request, matched and checked by the router (target decoded, contest found,
// caller authenticated). Every handler has the shape of route_handler.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/api_types.hpp"
#include "common/request_target.hpp"
#include "api/route_table.hpp"
#include "common/metrics.hpp"
#include "common/run_time_views.hpp"
#include "config_slot.hpp"
#include "contest.hpp"

#include <nlohmann/json.hpp>
#include "receiver.hpp"
#include "redis_types.hpp"
#include "redis_url.hpp"

namespace lb::gateway {

class season_cache;

struct app_context {
    const engine::config_slot& configs;  // the configuration in force (a reload replaces it)
    engine::redis_executor& redis;
    std::function<bool()> redis_ready;
    std::string admin_token;  // empty: admin routes refuse every request
    std::string static_dir;
    metrics& counters;
    webhooks::receiver* receiver = nullptr;  // null: this process does not receive webhooks
    process_role role = process_role::all;   // webhooks: hooks and health only; gateway: no hooks
    roster_refresh* sync = nullptr;          // re-reads the roster after an admin changed it
    engine::redis_endpoint redis_endpoint;   // recompute opens its own blocking connection
    const webhook_health* health = nullptr;  // webhook outcomes for the console (null: none kept)
    season_cache* seasons = nullptr;         // season pages computed once per state (null: each read computes)
    std::function<void(std::function<void(nlohmann::json, bool)>)> reload_config = {};  // null: reloads are not offered

    const engine::config& config() const { return configs.current(); }
};

// Who is calling, as the router established it.
struct caller {
    bool admin = false;
    bool judge = false;       // a judge's token (admin is false then)
    std::string actor;        // the audit's actor: "admin" for the admin token, a judge's id for theirs
    std::string participant;  // for participant routes: whose submission token (or session) it was
    std::string client;       // the client's address (server.trusted_proxies decide whose X-Forwarded-For counts)
};

struct route_call {
    app_context& app;
    const route& matched;
    const engine::contest* contest = nullptr;  // set for every pattern with {contest}
    request_target target;
    std::vector<std::pair<std::string_view, std::string>> params;
    api_request request;
    caller who;

    const engine::contest& c() const { return *contest; }
    // A {name} segment of the pattern ("" when the pattern has none).
    const std::string& param(std::string_view name) const;
    // A query value, or fallback when the query does not have it.
    std::string query(std::string_view key, std::string fallback = {}) const;
};

}  // namespace lb::gateway
