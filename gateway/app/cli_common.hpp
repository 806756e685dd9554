#pragma once
// What every offline command shares: its arguments, the configuration, the contest and Redis.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "contest.hpp"
#include "sync_redis.hpp"

namespace lb::gateway {

struct parsed_args {
    std::map<std::string, std::string> options;
    std::vector<std::string> positional;
    std::string error;
};

parsed_args parse_args(const std::vector<std::string>& args, std::size_t first);
std::optional<engine::config> load_or_report(const std::string& path);
std::string option(const parsed_args& a, const std::string& key, std::string fallback = "");

// Loads the config, finds --contest and connects to --redis for the offline commands.
struct offline_context {
    engine::config config;
    const engine::contest* contest = nullptr;
    std::unique_ptr<engine::sync_redis> redis;
};

// usage is printed when --config or --contest is missing; answers the exit status on failure.
std::variant<offline_context, int> open_offline(const parsed_args& a, const std::string& usage);

}  // namespace lb::gateway
