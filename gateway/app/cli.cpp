#include "app/cli.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <variant>

#include <nlohmann/json.hpp>

#include "award_store.hpp"
#include "merge_activity.hpp"
#include "config_loader.hpp"
#include "lua_script.hpp"
#include "recompute.hpp"
#include "app/server.hpp"
#include "app/cli_common.hpp"
#include "app/rehearsal_cli.hpp"
#include "roster_store.hpp"
#include "standings.hpp"
#include "submission_store.hpp"
#include "sync_redis.hpp"
#include "untrusted_json.hpp"
#include "clock.hpp"

namespace lb::gateway {
namespace {

const char* const usage_text = R"(leaderboard: live contest leaderboards

usage: leaderboard <command> [options]     leaderboard <command> --help     leaderboard --version

commands:
  serve         run the HTTP server (API, webhooks, WebSocket, page)
  check-config  validate a configuration file and list every problem
  export        print a board's standings as JSON or CSV
  recompute     rebuild a contest's boards from its award ledger
  import-prs    apply merged pull requests from an NDJSON file (backfill)
  tokens        issue a participant's reproduction-submission token
  reconcile     ask GitHub and Gitee for merges the webhooks missed, and score them
  record        write a contest's award log, with times, to an NDJSON file
  replay        apply a recording into another contest at a speed (a rehearsal)
  reset         delete everything a contest has in Redis (a rehearsal's reset)
)";

const std::map<std::string, std::string> command_help = {
    {"serve", "usage: leaderboard serve --config FILE [--redis redis://127.0.0.1:6379/0] [--listen 127.0.0.1:8080]\n"
              "                         [--role all|webhooks|gateway] [--static DIR] [--spool DIR] [--threads N]\n"
              "The admin token and webhook secrets are read from the environment variables the config names.\n"
              "--spool (default var/spool) keeps verified deliveries on disk while Redis is unreachable.\n"
              "--redis redis-sentinel://h1:26379,h2:26379/NAME[/DB] finds the primary through Sentinel and follows failovers;\n"
              "--read-from replica (with it) has the live side read boards and the award log from a healthy replica.\n"
              "--redis redis-cluster://h1:7000,h2:7001/ spreads contests over a Redis Cluster's shards (any listed node gives the slot map).\n"
              "--threads (default 1) serve HTTP and webhooks; live viewers (/ws) have a thread of their own.\n"},
    {"check-config", "usage: leaderboard check-config FILE\nPrints every problem as 'path: reason'; exit status 2 if any.\n"},
    {"export", "usage: leaderboard export --config FILE --contest ID [--board participants] [--format json|csv]\n"
               "                          [--redis URL] [--live]\n"
               "Prints the whole board; --live ignores a freeze (organizers only).\n"},
    {"recompute", "usage: leaderboard recompute --config FILE --contest ID [--dry-run] [--redis URL]\n"
                  "Rebuilds every board from the ledger under the current rules; --dry-run only lists changes.\n"},
    {"tokens", "usage: leaderboard tokens issue --config FILE --contest ID --participant PID [--actor NAME] [--redis URL]\n"
               "Prints a new reproduction-submission token for the participant (only its digest is stored).\n"},
    {"print-script", "usage: leaderboard print-script apply_award|read_board|read_member|freeze\n"
                     "Prints a Lua script of the store (for redis-benchmark and debugging).\n"},
    {"import-prs", "usage: leaderboard import-prs --config FILE --contest ID --file PRS.ndjson [--redis URL]\n"
                   "Each line: {\"host\",\"repo\",\"number\",\"url\",\"title\",\"author\",\"labels\",\"merged\",\n"
                   "            \"merged_at\",\"updated_at\"} with RFC 3339 times.\n"},
};

// The page next to an installed binary (<prefix>/bin → <prefix>/share/leaderboard/static, as
// the Debian package lays it out), else the source tree's.
std::string default_static_dir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        auto installed = exe.parent_path().parent_path() / "share" / "leaderboard" / "static";
        if (std::filesystem::is_directory(installed / "", ec)) return installed.string();
    }
    return LB_DEFAULT_STATIC_DIR;
}

int check_config(const parsed_args& a) {
    if (a.positional.size() != 1) return std::cerr << command_help.at("check-config"), 64;
    auto config = load_or_report(a.positional[0]);
    if (!config) return 2;
    for (const auto& c : config->contests)
        std::cout << c.id << ": " << c.teams.size() << " teams, " << c.participants.size() << " participants, "
                  << c.boards().size() << " boards\n";
    std::cout << "configuration is valid\n";
    return 0;
}

int issue_token(const parsed_args& a) {
    if (a.positional.size() != 1 || a.positional[0] != "issue" || !a.options.count("--participant"))
        return std::cerr << command_help.at("tokens"), 64;
    auto opened = open_offline(a, command_help.at("tokens"));
    if (auto* status = std::get_if<int>(&opened)) return *status;
    auto& ctx = std::get<offline_context>(opened);
    auto pid = option(a, "--participant");
    if (!ctx.contest->find_participant(pid)) return std::cerr << "unknown participant \"" << pid << "\"\n", 2;
    auto token = engine::new_submission_token();
    nlohmann::json audit{{"at", engine::format_rfc3339(engine::now_seconds())}, {"actor", option(a, "--actor", "cli")},
                         {"action", "issue_token"}, {"participant", pid}, {"reason", ""}};
    int status = 1;
    ctx.redis->execute({engine::store_token_command(*ctx.contest, token, pid, engine::to_text(audit))}, [&](auto replies) {
        if (replies.at(0).is_error()) return void(std::cerr << "cannot store the token: " << replies[0].text << "\n");
        std::cout << token << "\n";
        status = 0;
    });
    return status;
}

int export_board(const parsed_args& a) {
    auto opened = open_offline(a, command_help.at("export"));
    if (auto* status = std::get_if<int>(&opened)) return *status;
    auto& ctx = std::get<offline_context>(opened);
    engine::standings_query query;
    query.board = option(a, "--board", "participants");
    query.limit = engine::max_standings_limit;
    query.public_view = !a.options.count("--live");
    auto format = option(a, "--format", "json");
    if (!ctx.contest->has_board(query.board)) return std::cerr << "unknown board \"" << query.board << "\"\n", 2;
    if (format != "json" && format != "csv") return std::cerr << "--format: expected json or csv\n", 64;
    int status = 1;
    engine::read_standings(*ctx.redis, *ctx.contest, query, engine::now_seconds(), [&](auto page, std::string error) {
        if (!page) return void(std::cerr << "cannot read the board: " << error << "\n");
        std::cout << (format == "csv" ? engine::standings_to_csv(*ctx.contest, *page)
                                      : nlohmann::json::parse(engine::standings_to_json(*ctx.contest, *page)).dump(2) + "\n");
        status = 0;
    });
    return status;
}

int recompute_boards(const parsed_args& a) {
    auto opened = open_offline(a, command_help.at("recompute"));
    if (auto* status = std::get_if<int>(&opened)) return *status;
    auto& ctx = std::get<offline_context>(opened);
    bool dry_run = a.options.count("--dry-run") > 0;
    try {
        auto report = engine::recompute(*ctx.redis, *ctx.contest, dry_run);
        for (const auto& change : report.changes)
            std::cout << change.board << " " << change.member << ": " << (change.before.empty() ? "(absent)" : change.before)
                      << " -> " << (change.after.empty() ? "(absent)" : change.after) << "\n";
        std::cerr << "read " << report.read_seconds << " s, derive " << report.derive_seconds << " s, compare "
                  << report.compare_seconds << " s, write " << report.write_seconds << " s\n";
        if (!dry_run)
            std::cerr << report.caught_up << " award(s) applied meanwhile replayed; awards held " << report.held_seconds << " s\n";
        std::cout << report.awards << " awards, " << report.rederived << " re-derived, " << report.changes.size()
                  << " board rows " << (dry_run ? "would change" : "changed") << "\n";
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "recompute failed: " << error.what() << "\n";
        return 1;
    }
}

// Validates every line before applying any, so a bad file changes nothing.
std::variant<std::vector<engine::pull_request_facts>, std::string> read_pr_lines(std::istream& in) {
    using engine::string_at;
    std::vector<engine::pull_request_facts> prs;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        auto where = "line " + std::to_string(number) + ": ";
        auto parsed = engine::parse_untrusted_json(line);
        if (!parsed.ok()) return where + parsed.error;
        const auto& j = parsed.value;
        if (!j.is_object()) return where + "not a JSON object";
        for (const char* key : {"host", "repo", "author", "merged_at", "updated_at"})
            if (!string_at(j, key)) return where + key + ": expected a string";
        auto number_field = engine::integer_at(j, "number");
        if (!number_field) return where + "number: expected an integer";
        auto merged_at = engine::parse_rfc3339(*string_at(j, "merged_at"));
        auto updated_at = engine::parse_rfc3339(*string_at(j, "updated_at"));
        if (!merged_at || !updated_at) return where + "merged_at/updated_at: expected RFC 3339 times with offset";
        engine::pull_request_facts pr;
        pr.host = *string_at(j, "host");
        if (!engine::find_host(pr.host)) return where + "host: expected " + engine::host_list();
        pr.repo = *string_at(j, "repo");
        pr.number = *number_field;
        for (const char* key : {"url", "title"})
            if (j.contains(key) && !string_at(j, key)) return where + key + ": expected a string";
        pr.url = string_at(j, "url").value_or("");
        pr.title = string_at(j, "title").value_or("");
        pr.author = *string_at(j, "author");
        auto labels = j.contains("labels") ? engine::strings_at(j, "labels") : std::vector<std::string>{};
        if (!labels) return where + "labels: expected an array of strings";
        pr.labels = std::move(*labels);
        auto merged = j.contains("merged") ? engine::bool_at(j, "merged") : true;
        if (!merged) return where + "merged: expected true or false";
        pr.merged = *merged;
        pr.merged_at = *merged_at;
        pr.updated_at = *updated_at;
        prs.push_back(std::move(pr));
    }
    return prs;
}

int import_prs(const parsed_args& a) {
    auto opened = open_offline(a, command_help.at("import-prs"));
    if (auto* status = std::get_if<int>(&opened)) return *status;
    auto& ctx = std::get<offline_context>(opened);
    std::ifstream file(option(a, "--file"));
    if (!file) return std::cerr << "--file: cannot read \"" << option(a, "--file") << "\"\n", 2;
    auto lines = read_pr_lines(file);
    if (auto* error = std::get_if<std::string>(&lines)) return std::cerr << *error << " (nothing was applied)\n", 2;
    engine::award_store store(*ctx.redis);
    std::map<std::string, int> outcomes;
    for (const auto& pr : std::get<std::vector<engine::pull_request_facts>>(lines)) {
        if (!engine::pr_in_contest(*ctx.contest, pr)) {
            ++outcomes["ignored (repository not in contest)"];
            continue;
        }
        // A backfill is the community's history too: merges before the engine ran make the
        // new-contributor and retention figures right.
        if (ctx.config.community.registration_open)
            ctx.redis->execute(engine::record_merge_commands(pr), [&](std::vector<engine::redis_value> replies) {
                for (const auto& reply : replies)
                    if (reply.is_error()) return void(++outcomes["failed"]);
            });
        store.apply(*ctx.contest, engine::make_pull_request_award(*ctx.contest, pr),
                    [&](engine::apply_result result) { ++outcomes[engine::to_string(result.outcome)]; });
    }
    for (const auto& [outcome, count] : outcomes) std::cout << outcome << ": " << count << "\n";
    return outcomes.count("failed") || outcomes.count("refused") ? 1 : 0;
}

int serve_command(const parsed_args& a) {
    if (!a.options.count("--config")) return std::cerr << command_help.at("serve"), 64;
    auto config = load_or_report(option(a, "--config"));
    if (!config) return 2;
    serve_options options;
    auto redis = engine::parse_redis_url(option(a, "--redis", "redis://127.0.0.1:6379/0"));
    if (!redis) return std::cerr << "--redis: expected redis://host:port/db, redis-sentinel://host:port,host:port/name/db or redis-cluster://host:port,host:port/\n", 64;
    options.redis = *redis;
    auto read_from = option(a, "--read-from", "primary");
    if (read_from != "primary" && read_from != "replica") return std::cerr << "--read-from: expected primary or replica\n", 64;
    if (read_from == "replica" && !redis->through_sentinels())
        return std::cerr << "--read-from replica: needs a redis-sentinel:// URL (the sentinels list the replicas)\n", 64;
    options.read_from_replica = read_from == "replica";
    auto listen = option(a, "--listen", "127.0.0.1:8080");
    auto colon = listen.rfind(':');
    int port = -1;
    if (colon != std::string::npos) port = std::atoi(listen.substr(colon + 1).c_str());
    if (colon == std::string::npos || port < 0 || port > 65535 || listen.substr(colon + 1).empty())
        return std::cerr << "--listen: expected HOST:PORT\n", 64;
    options.listen_host = listen.substr(0, colon);
    options.listen_port = static_cast<unsigned short>(port);
    auto role = parse_process_role(option(a, "--role", "all"));
    if (!role) return std::cerr << "--role: expected all, webhooks or gateway\n", 64;
    options.role = *role;
    options.static_dir = option(a, "--static", default_static_dir());
    options.spool_dir = option(a, "--spool", "var/spool");
    options.threads = std::max(1, std::atoi(option(a, "--threads", "1").c_str()));
    options.config_path = option(a, "--config");
    return serve(std::make_unique<engine::config>(std::move(*config)), options);
}

}  // namespace

int run_cli(const std::vector<std::string>& args) {
    if (args.size() < 2 || args[1] == "--help" || args[1] == "-h" || args[1] == "help") {
        std::cout << usage_text;
        return args.size() < 2 ? 64 : 0;
    }
    const auto& command = args[1];
    if (command == "--version" || command == "version") return std::cout << "leaderboard " LB_VERSION "\n", 0;
    if (history_command_help.count(command)) {
        auto parsed = parse_args(args, 2);
        if (parsed.options.count("--help")) return std::cout << history_command_help.at(command), 0;
        if (!parsed.error.empty()) return std::cerr << parsed.error << "\n" << history_command_help.at(command), 64;
        if (command == "reconcile") return reconcile_command(parsed);
        if (command == "record") return record_command(parsed);
        if (command == "replay") return replay_command(parsed);
        return reset_command(parsed);
    }
    if (!command_help.count(command)) return std::cerr << "unknown command \"" << command << "\"\n" << usage_text, 64;
    auto parsed = parse_args(args, 2);
    if (parsed.options.count("--help")) return std::cout << command_help.at(command), 0;
    if (!parsed.error.empty()) return std::cerr << parsed.error << "\n" << command_help.at(command), 64;
    if (command == "check-config") return check_config(parsed);
    if (command == "export") return export_board(parsed);
    if (command == "recompute") return recompute_boards(parsed);
    if (command == "import-prs") return import_prs(parsed);
    if (command == "tokens") return issue_token(parsed);
    if (command == "print-script") {
        std::map<std::string, const engine::lua_script*> scripts{{"apply_award", &engine::apply_award_script()},
                                                                  {"read_board", &engine::read_board_script()},
                                                                  {"read_member", &engine::read_member_script()},
                                                                  {"freeze", &engine::freeze_script()}};
        if (parsed.positional.size() != 1 || !scripts.count(parsed.positional[0])) return std::cerr << command_help.at(command), 64;
        std::cout << scripts.at(parsed.positional[0])->source();
        return 0;
    }
    return serve_command(parsed);
}

}  // namespace lb::gateway
