#include "reconcile/reconciler.hpp"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "award.hpp"
#include "clock.hpp"
#include "host_api.hpp"
#include "pull_request_scoring.hpp"
#include "rfc3339.hpp"
#include "store_keys.hpp"

namespace lb::gateway {
namespace {

constexpr int page_size = 100;
constexpr long long github_delivery_days = 3;

std::optional<long long> header_number(const http_reply& reply, const std::string& name) {
    auto it = reply.headers.find(name);
    if (it == reply.headers.end() || it->second.empty() || it->second.size() > 18) return std::nullopt;
    if (!std::all_of(it->second.begin(), it->second.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) return std::nullopt;
    return std::stoll(it->second);
}

// How long a rate-limited answer asks us to wait (GitHub: 403/429 with Retry-After, or with
// X-RateLimit-Remaining 0 and X-RateLimit-Reset in epoch seconds; Gitee: 403/429 likewise).
std::optional<long long> rate_limit_wait(const http_reply& reply) {
    if (reply.status != 403 && reply.status != 429) return std::nullopt;
    if (auto after = header_number(reply, "retry-after")) return std::max(1LL, *after);
    auto remaining = header_number(reply, "x-ratelimit-remaining");
    auto reset = header_number(reply, "x-ratelimit-reset");
    if (remaining && *remaining == 0 && reset) return std::max(1LL, *reset - engine::now_seconds() + 1);
    if (reply.status == 429) return 60;
    return std::nullopt;
}

std::string status_text(const http_reply& reply) {
    if (reply.status == 0) return "no answer (" + reply.error + ")";
    return "HTTP " + std::to_string(reply.status) + (reply.error.empty() ? "" : " (" + reply.error + ")");
}

http_call request_of(std::string method, std::string url) {
    http_call out;
    out.method = std::move(method);
    out.url = std::move(url);
    return out;
}

}  // namespace

host_tokens tokens_from_environment(const engine::config& config, std::vector<std::string>* missing) {
    host_tokens tokens;
    for (const auto& [host, hook] : config.webhooks.hosts) {
        const auto& env = hook.api.token_env;
        const char* value = env.empty() ? nullptr : std::getenv(env.c_str());
        tokens[host] = value ? value : "";
        if (!env.empty() && tokens[host].empty() && missing) missing->push_back(host + " (" + env + ")");
    }
    return tokens;
}

reconciler::reconciler(const engine::config& config, const engine::contest& contest, engine::sync_redis& redis, host_tokens tokens,
                       std::function<http_reply(const http_call&)> send)
    : config_(config), contest_(contest), redis_(redis), tokens_(std::move(tokens)), send_(std::move(send)) {}

void reconciler::say(const std::string& line) const {
    if (options_.progress) options_.progress(line);
}

void reconciler::fail(repo_tally& tally, const std::string& line) {
    ++tally.errors;
    summary_.error_lines.push_back(repo_ + ": " + line);
    say("  " + repo_ + ": " + line);
}

reconcile_summary reconciler::run(const reconcile_options& options) {
    options_ = options;
    summary_ = {};
    auto since = options.since.value_or(contest_.starts_at);
    for (const auto& qualified : contest_.repos) {
        auto colon = qualified.find(':');
        std::string host = qualified.substr(0, colon), repo = qualified.substr(colon + 1);
        repo_ = qualified;
        repo_tally tally;
        // GitHub keeps its hook's deliveries: those that failed are asked for again first.
        if (host == "github") github_deliveries(repo, since, tally);
        list_pulls(host, repo, since, tally);
        summary_.seen += tally.seen;
        summary_.already += tally.already;
        summary_.scored += tally.scored;
        summary_.redelivered += tally.redelivered;
        summary_.errors += tally.errors;
        say(qualified + ": seen " + std::to_string(tally.seen) + ", already counted " + std::to_string(tally.already) + ", " +
            (options.dry_run ? "would score " : "newly scored ") + std::to_string(tally.scored) + ", " +
            (options.dry_run ? "would redeliver " : "redelivered ") + std::to_string(tally.redelivered) + ", errors " +
            std::to_string(tally.errors));
    }
    return summary_;
}

http_reply reconciler::call(const std::string& host, http_call request, bool conditional) {
    const std::string key = request.url;  // without the token: it names the page in the ETag cache and in messages
    const std::string& token = tokens_[host];
    const auto* known = engine::find_host(host);
    auto api = known ? known->api : engine::api_shape::gitee_v5;
    if (api == engine::api_shape::github) {
        request.headers["Accept"] = "application/vnd.github+json";
        request.headers["X-GitHub-Api-Version"] = "2022-11-28";
        if (!token.empty()) request.headers["Authorization"] = "Bearer " + token;
    } else if (api == engine::api_shape::gitlab_v4) {
        if (!token.empty()) request.headers["PRIVATE-TOKEN"] = token;
    } else if (!token.empty()) {
        request.url += (request.url.find('?') == std::string::npos ? "?" : "&") + std::string("access_token=") + token;
    }
    if (conditional) {
        auto etag = redis_.run({"HGET", engine::keys::reconcile_etags(contest_.id), key});
        if (etag.kind == engine::redis_value::type::string && !etag.text.empty()) request.headers["If-None-Match"] = etag.text;
    }
    http_reply reply;
    for (int attempt = 0, failures = 0; attempt < 8; ++attempt) {
        reply = send_(request);
        if (reply.status == 0 || reply.status >= 500) {
            if (++failures > 2 || !options_.wait(std::chrono::seconds(failures))) return reply;
            continue;
        }
        auto wait = rate_limit_wait(reply);
        if (!wait) return reply;
        if (*wait > options_.longest_wait.count()) {
            reply.error = "rate limited for " + std::to_string(*wait) + " s more, longer than the longest wait";
            return reply;
        }
        say("  " + repo_ + ": rate limited, waiting " + std::to_string(*wait) + " s");
        if (!options_.wait(std::chrono::seconds(*wait))) {
            reply.error = "stopped while waiting out a rate limit";
            return reply;
        }
    }
    return reply;
}

void reconciler::remember_etag(const std::string& url, const http_reply& reply) {
    auto it = reply.headers.find("etag");
    if (it == reply.headers.end() || it->second.empty() || options_.dry_run) return;
    redis_.run({"HSET", engine::keys::reconcile_etags(contest_.id), url, it->second});
}

bool reconciler::score(const std::vector<engine::pull_request_facts>& merged, engine::unix_seconds since, repo_tally& tally) {
    bool stored_all = true;
    for (const auto& pr : merged) {
        if (pr.updated_at < since || !engine::pr_concerns(contest_, pr)) continue;
        ++tally.seen;
        if (options_.dry_run) {
            auto stored = redis_.run({"HGET", engine::keys::ledger(contest_.id), pr.subject()});
            auto record = stored.kind == engine::redis_value::type::string ? engine::read_award_record(stored.text) : std::nullopt;
            // As the award script decides: a newer state worth the same on the same rows moves nothing.
            auto a = engine::make_pull_request_award(contest_, pr);
            bool counted = record && (record->version >= a.version ||
                                      (record->points == a.points && record->participant == a.participant && record->at == a.at &&
                                       record->pending_login == a.pending_login && record->contributions == a.contributions));
            ++(counted ? tally.already : tally.scored);
            continue;
        }
        std::string outcome;
        engine::score_pull_request(redis_, {&contest_}, std::make_shared<const engine::pull_request_facts>(pr), "",
                                   [&](bool stored, nlohmann::json results) {
                                       outcome = stored ? results.at(0).value("outcome", "applied") : "failed";
                                       if (!stored) stored_all = false;
                                   }, config_.community.registration_open);
        if (outcome == "applied") ++tally.scored;
        else if (outcome == "unchanged" || outcome == "stale" || outcome == "duplicate" || outcome == "after_final") ++tally.already;
        else fail(tally, pr.subject() + ": " + outcome);
    }
    return stored_all;
}

void reconciler::github_deliveries(const std::string& repo, engine::unix_seconds since, repo_tally& tally) {
    const auto& api = config_.webhooks.of("github").api.api_url;
    auto hooks_reply = call("github", request_of("GET", api + "/repos/" + repo + "/hooks?per_page=100"), false);
    if (hooks_reply.status == 403 || hooks_reply.status == 404) {
        // Listing hooks needs a token with admin rights on the repository; the merged PRs are still listed.
        say("  github:" + repo + ": its hooks cannot be read with this token (" + status_text(hooks_reply) + "); deliveries skipped");
        return;
    }
    if (hooks_reply.status != 200) return fail(tally, "listing hooks: " + status_text(hooks_reply));
    auto hooks = webhooks::read_repo_hooks(hooks_reply.body);
    if (auto* error = std::get_if<std::string>(&hooks)) return fail(tally, "listing hooks: " + *error);
    // GitHub redelivers only what it still keeps: deliveries of the past three days.
    auto kept_since = std::max<engine::unix_seconds>(since, engine::now_seconds() - github_delivery_days * 86400);
    for (const auto& hook : std::get<std::vector<webhooks::repo_hook>>(hooks)) {
        if (!hook.active || hook.url.find("/hooks/github") == std::string::npos) continue;
        std::vector<webhooks::hook_delivery> deliveries;
        std::string url = api + "/repos/" + repo + "/hooks/" + std::to_string(hook.id) + "/deliveries?per_page=100";
        for (int page = 0; !url.empty() && page < 100; ++page) {
            auto reply = call("github", request_of("GET", url), false);
            if (reply.status != 200) return fail(tally, "listing deliveries: " + status_text(reply));
            auto listed = webhooks::read_hook_deliveries(reply.body);
            if (auto* error = std::get_if<std::string>(&listed)) return fail(tally, "listing deliveries: " + *error);
            auto& items = std::get<std::vector<webhooks::hook_delivery>>(listed);
            bool older = std::any_of(items.begin(), items.end(), [&](const auto& d) { return d.delivered_at < kept_since; });
            deliveries.insert(deliveries.end(), items.begin(), items.end());
            if (older || items.empty()) break;
            url = webhooks::next_link(reply.headers.count("link") ? reply.headers.at("link") : "");
        }
        for (const auto& d : webhooks::deliveries_to_redeliver(deliveries, "pull_request")) {
            if (d.delivered_at < kept_since) continue;
            if (options_.dry_run) {
                ++tally.redelivered;
                continue;
            }
            auto attempt = call("github", request_of("POST", api + "/repos/" + repo + "/hooks/" + std::to_string(hook.id) + "/deliveries/" +
                                                       std::to_string(d.id) + "/attempts"), false);
            if (attempt.status == 202 || attempt.status == 200) ++tally.redelivered;
            else fail(tally, "redelivering " + d.guid + ": " + status_text(attempt));
        }
    }
}

// GitHub pages by its Link header; Gitee's v5 API (GitCode, AtomGit) by page number up to its
// total_page header; GitLab's v4 up to X-Total-Pages, asking only for what changed since.
void reconciler::list_pulls(const std::string& host, const std::string& repo, engine::unix_seconds since, repo_tally& tally) {
    const auto* known = engine::find_host(host);
    if (!known) return fail(tally, "not a host of the table");
    auto api = known->api;
    bool github = api == engine::api_shape::github;
    const auto& api_url = config_.webhooks.of(host).api.api_url;
    std::string numbered_base;
    if (api == engine::api_shape::gitlab_v4) {
        std::string project;
        for (char c : repo) project += c == '/' ? std::string("%2F") : std::string(1, c);
        numbered_base = api_url + "/projects/" + project + "/merge_requests?state=merged&order_by=updated_at&sort=desc&updated_after=" +
                        engine::format_rfc3339(since) + "&per_page=100&page=";
    } else {
        numbered_base = api_url + "/repos/" + repo + "/pulls?state=merged&sort=updated&direction=desc&per_page=100&page=";
    }
    const auto first = github ? api_url + "/repos/" + repo + "/pulls?state=closed&sort=updated&direction=desc&per_page=100"
                              : numbered_base + "1";
    std::string url = first;
    http_reply first_reply;
    bool complete = true;
    for (int page = 1; !url.empty() && page <= 1000; ++page) {
        auto reply = call(host, request_of("GET", url), page == 1);
        if (page == 1 && reply.status == 304) return say("  " + host + ":" + repo + ": no pull request changed since the last pass");
        if (reply.status != 200) return fail(tally, "listing pull requests: " + status_text(reply));
        auto listed = api == engine::api_shape::gitlab_v4 ? webhooks::read_merge_request_list(host, repo, reply.body)
                                                          : webhooks::read_pull_list(host, repo, reply.body);
        if (auto* error = std::get_if<std::string>(&listed)) return fail(tally, "listing pull requests: " + *error);
        auto& list = std::get<webhooks::pull_list>(listed);
        for (const auto& error : list.errors) fail(tally, "a pull request " + error), complete = false;
        if (!score(list.merged, since, tally)) complete = false;
        if (page == 1) first_reply = reply;
        if (list.listed == 0 || (list.oldest_update && *list.oldest_update < since)) break;
        if (github) {
            url = webhooks::next_link(reply.headers.count("link") ? reply.headers.at("link") : "");
        } else {
            auto pages = header_number(reply, api == engine::api_shape::gitlab_v4 ? "x-total-pages" : "total_page");
            bool last = pages ? page >= *pages : list.listed < page_size;
            url = last ? "" : numbered_base + std::to_string(page + 1);
        }
    }
    if (complete) remember_etag(first, first_reply);
}

}  // namespace lb::gateway
