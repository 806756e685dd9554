#include <cstdlib>
#include <iostream>

#include "app/rehearsal_cli.hpp"
#include "reconcile/reconciler.hpp"
#include "rfc3339.hpp"

namespace lb::gateway {

const std::map<std::string, std::string> history_command_help = {
    {"reconcile", "usage: leaderboard reconcile --config FILE --contest ID [--since TIME] [--dry-run] [--redis URL]\n"
                  "Asks GitHub and Gitee for the merges the webhooks missed: redelivers GitHub hook deliveries\n"
                  "that got no 2xx, and scores every merged pull request the repositories list (updated since\n"
                  "--since, an RFC 3339 time; default the contest's start). Tokens come from the environment\n"
                  "variables named by webhooks.<host>.token_env.\n"},
    {"record", "usage: leaderboard record --contest ID --out FILE.ndjson [--config FILE] [--redis URL]\n"
               "Writes the contest's award log with the time each award was applied.\n"},
    {"replay", "usage: leaderboard replay --config FILE --contest NEW_ID --file FILE.ndjson [--speed 60|max]\n"
               "                          [--restart] [--redis URL]\n"
               "Applies a recording into another contest keeping its relative timing (60 plays an hour in a\n"
               "minute). Ctrl-C stops after the award in hand; the same command resumes (--restart starts over).\n"},
    {"reset", "usage: leaderboard reset --config FILE --contest ID --yes [--redis URL]\n"
              "Deletes everything the contest has in Redis (awards, boards, roster imports, reveal, replay).\n"},
};

int reconcile_command(const parsed_args& a) {
    auto opened = open_offline(a, history_command_help.at("reconcile"));
    if (auto* status = std::get_if<int>(&opened)) return *status;
    auto& ctx = std::get<offline_context>(opened);
    reconcile_options options;
    options.dry_run = a.options.count("--dry-run") > 0;
    if (a.options.count("--since")) {
        options.since = engine::parse_rfc3339(option(a, "--since"));
        if (!options.since) return std::cerr << "--since: expected an RFC 3339 time such as 2026-11-16T00:00:00+08:00\n", 64;
    }
    options.progress = [](const std::string& line) { std::cout << line << std::endl; };
    std::vector<std::string> missing;
    auto tokens = tokens_from_environment(ctx.config, &missing);
    for (const auto& host : missing) std::cout << "no token for " << host << ": asking anonymously\n";
    reconciler job(ctx.config, *ctx.contest, *ctx.redis, std::move(tokens));
    try {
        auto summary = job.run(options);
        std::cout << (options.dry_run ? "dry run: " : "") << "seen " << summary.seen << ", already counted " << summary.already
                  << ", " << (options.dry_run ? "would score " : "newly scored ") << summary.scored << ", "
                  << (options.dry_run ? "would redeliver " : "redelivered ") << summary.redelivered << ", errors " << summary.errors << "\n";
        return summary.errors ? 1 : 0;
    } catch (const std::exception& error) {
        return std::cerr << "reconcile stopped: " << error.what() << "\n", 1;
    }
}

}  // namespace lb::gateway
