#pragma once
#include <memory>
#include <string>

#include "api/route_table.hpp"
#include "contest.hpp"
#include "redis_url.hpp"

namespace lb::gateway {

struct serve_options {
    std::string listen_host = "127.0.0.1";
    unsigned short listen_port = 8080;
    engine::redis_endpoint redis;
    bool read_from_replica = false;  // the live side reads boards and the award log from a replica
    process_role role = process_role::all;
    std::string static_dir;
    std::string spool_dir = "var/spool";
    int threads = 1;
    std::string config_path;  // read again on SIGHUP or POST /api/config/reload
};

// Runs until SIGINT or SIGTERM; returns the process exit status.
int serve(std::unique_ptr<engine::config> config, const serve_options& options);

}  // namespace lb::gateway
