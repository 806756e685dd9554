#include "app/cli_common.hpp"

#include <iostream>
#include <set>

#include "clock.hpp"
#include "config_loader.hpp"
#include "roster_store.hpp"
#include "tie_encoding.hpp"

namespace lb::gateway {

parsed_args parse_args(const std::vector<std::string>& args, std::size_t first) {
    static const std::set<std::string> flags = {"--dry-run", "--live", "--help", "--yes", "--restart"};
    parsed_args out;
    for (std::size_t i = first; i < args.size(); ++i) {
        const auto& arg = args[i];
        if (flags.count(arg)) out.options[arg] = "1";
        else if (arg.starts_with("--")) {
            if (i + 1 >= args.size()) out.error = arg + " needs a value";
            else out.options[arg] = args[++i];
        } else out.positional.push_back(arg);
    }
    return out;
}

std::optional<engine::config> load_or_report(const std::string& path) {
    auto result = engine::load_config_file(path);
    for (const auto& error : result.errors) std::cerr << error.to_string() << "\n";
    if (!result.errors.empty()) return std::nullopt;
    return std::move(result.value);
}

std::string option(const parsed_args& a, const std::string& key, std::string fallback) {
    auto it = a.options.find(key);
    return it == a.options.end() ? fallback : it->second;
}

std::variant<offline_context, int> open_offline(const parsed_args& a, const std::string& usage) {
    if (!a.options.count("--config") || !a.options.count("--contest")) return std::cerr << usage, 64;
    auto config = load_or_report(option(a, "--config"));
    if (!config) return 2;
    offline_context ctx{std::move(*config), nullptr, nullptr};
    ctx.contest = ctx.config.find_contest(option(a, "--contest"));
    if (!ctx.contest) return std::cerr << "unknown contest \"" << option(a, "--contest") << "\"\n", 2;
    auto endpoint = engine::parse_redis_url(option(a, "--redis", "redis://127.0.0.1:6379/0"));
    if (!endpoint) return std::cerr << "--redis: expected redis://host:port/db, redis-sentinel://host:port,host:port/name/db or redis-cluster://host:port,host:port/\n", 64;
    try {
        ctx.redis = std::make_unique<engine::sync_redis>(*endpoint);
    } catch (const std::exception& error) {
        return std::cerr << error.what() << "\n", 1;
    }
    // Teams and participants imported at run time count here too.
    std::string failure;
    engine::load_roster(*ctx.redis, *ctx.contest, [&](std::optional<engine::roster> current, std::string, std::string error) {
        if (current) ctx.contest->publish_roster(std::move(*current), engine::now_seconds());
        else failure = error;
    });
    if (!failure.empty()) return std::cerr << "cannot read the roster: " << failure << "\n", 1;
    // Boards stored by a version with another tie encoding are rebuilt before any tool reads or
    // scores them (the server does the same at start; whichever comes first).
    try {
        auto check = engine::bring_boards_to_current_encoding(*ctx.redis, *ctx.contest);
        if (check.rebuilt) std::cerr << "boards rebuilt in this version's tie encoding from " << check.awards << " awards\n";
    } catch (const std::exception& error) {
        return std::cerr << "cannot bring the boards to this version's tie encoding: " << error.what() << "\n", 1;
    }
    return ctx;
}

}  // namespace lb::gateway
