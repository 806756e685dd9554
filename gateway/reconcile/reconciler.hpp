#pragma once
// Asks the hosts what the webhooks may have missed, for one contest: GitHub's hook
// deliveries that got no 2xx are redelivered (the host keeps them three days), and the
// merged pull requests each repository lists by update time are scored through the same
// path as webhooks (so a PR seen both ways counts once, and the newer state wins).
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "contest.hpp"
#include "common/host_http.hpp"
#include "scoring.hpp"
#include "sync_redis.hpp"

namespace lb::gateway {

struct reconcile_options {
    std::optional<engine::unix_seconds> since;  // default: the contest's start
    bool dry_run = false;                        // ask and compare, change nothing (no redelivery either)
    std::chrono::seconds longest_wait{900};      // a rate limit that resets later than this ends the repository with an error
    std::function<void(const std::string&)> progress;  // one line per repository, and waits
    // Waits (rate limits, retries); answers false when the pass should end instead (a server stopping).
    std::function<bool(std::chrono::seconds)> wait = [](std::chrono::seconds s) { return std::this_thread::sleep_for(s), true; };
};

struct reconcile_summary {
    long long seen = 0;         // merged PRs the hosts listed in the window
    long long already = 0;      // of those, counted before in this state (or a newer one)
    long long scored = 0;       // newly scored (or, in a dry run, would be)
    long long redelivered = 0;  // failed deliveries asked for again
    long long errors = 0;
    std::vector<std::string> error_lines;
};

// Tokens by host id; an empty one sends anonymous requests.
using host_tokens = std::map<std::string, std::string>;
// The tokens the variables webhooks.<host>.token_env name; missing says which named one is unset.
host_tokens tokens_from_environment(const engine::config& config, std::vector<std::string>* missing = nullptr);

class reconciler {
public:
    reconciler(const engine::config& config, const engine::contest& contest, engine::sync_redis& redis, host_tokens tokens,
               std::function<http_reply(const http_call&)> send = send_http);
    reconcile_summary run(const reconcile_options& options);

private:
    struct repo_tally {
        long long seen = 0, already = 0, scored = 0, redelivered = 0, errors = 0;
    };
    void github_deliveries(const std::string& repo, engine::unix_seconds since, repo_tally& tally);
    void list_pulls(const std::string& host, const std::string& repo, engine::unix_seconds since, repo_tally& tally);
    // Scores the listed merges; answers false when one could not be stored.
    bool score(const std::vector<engine::pull_request_facts>& merged, engine::unix_seconds since, repo_tally& tally);
    // GET/POST with the host's headers, waiting out rate limits and retrying once on a 5xx.
    http_reply call(const std::string& host, http_call request, bool conditional);
    void remember_etag(const std::string& url, const http_reply& reply);
    void fail(repo_tally& tally, const std::string& line);
    void say(const std::string& line) const;

    const engine::config& config_;
    const engine::contest& contest_;
    engine::sync_redis& redis_;
    host_tokens tokens_;
    std::function<http_reply(const http_call&)> send_;
    reconcile_options options_;
    reconcile_summary summary_;
    std::string repo_;  // the one being asked about, for messages
};

}  // namespace lb::gateway
