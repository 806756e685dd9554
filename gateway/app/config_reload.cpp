#include "app/config_reload.hpp"

#include <cstdlib>

#include "app/contest_sync.hpp"
#include "clock.hpp"
#include "config_loader.hpp"
#include "roster_store.hpp"

namespace lb::gateway {

using nlohmann::json;

void read_config_secrets(engine::config& config) {
    for (auto& j : config.judges) {
        const char* value = std::getenv(j.token_env.c_str());
        j.token = value ? value : "";
    }
    // The sign-in apps' secrets come the same way: named by the file, read from the environment.
    for (auto& [host, app] : config.community.sign_in) {
        const char* value = std::getenv(app.client_secret_env.c_str());
        app.client_secret = value ? value : "";
    }
}

namespace {

// What changed in sections only read at start.
json needs_restart(const engine::config& before, const engine::config& after) {
    json out = json::array();
    if (before.admin_token_env != after.admin_token_env) out.push_back("admin_token_env");
    for (const auto& [host, hook] : after.webhooks.hosts)
        if (hook.secret_env != before.webhooks.of(host).secret_env || hook.configured != before.webhooks.of(host).configured) {
            out.push_back("webhooks (secret variables)");
            break;
        }
    if (before.server.max_connections != after.server.max_connections) out.push_back("server.max_connections");
    if (before.redis.command_timeout_ms != after.redis.command_timeout_ms) out.push_back("redis.command_timeout_ms");
    const auto& a = before.live;
    const auto& b = after.live;
    if (a.allowed_origins != b.allowed_origins || a.queue_bytes != b.queue_bytes || a.stuck_seconds != b.stuck_seconds ||
        a.messages_per_second != b.messages_per_second)
        out.push_back("live");
    return out;
}

struct staged_reload {
    std::unique_ptr<engine::config> next;
    std::size_t remaining = 0;
    std::string error;
    std::function<void()> finish;
};

}  // namespace

void config_reloader::reload(std::function<void(json, bool)> done) {
    if (running_.exchange(true)) return done({{"error", "reload_in_progress"}, {"message", "a reload is running; try again in a moment"}}, false);
    auto result = engine::load_config_file(path_);
    if (!result.errors.empty()) {
        json problems = json::array();
        for (const auto& e : result.errors) problems.push_back(e.to_string());
        running_ = false;
        return done({{"error", "invalid_config"}, {"message", std::to_string(problems.size()) + " problem(s) in " + path_ + "; nothing changed"},
                     {"problems", problems}}, false);
    }
    auto staged = std::make_shared<staged_reload>();
    staged->next = std::make_unique<engine::config>(std::move(result.value));
    read_config_secrets(*staged->next);
    const auto& before = slot_.current();
    for (const auto& c : staged->next->contests)
        if (const auto* old = before.find_contest(c.id)) {
            c.set_freeze(old->freeze_override(), old->frozen_since(engine::now_seconds()).value_or(0));
            c.set_final(old->is_final());
        }
    staged->remaining = staged->next->contests.size();
    staged->finish = [self = shared_from_this(), staged, done] {
        self->running_ = false;
        if (!staged->error.empty())
            return done({{"error", "redis_unavailable"}, {"message", "reading the stored rosters failed: " + staged->error + "; nothing changed"}}, false);
        json restart = needs_restart(self->slot_.current(), *staged->next);
        json contests = json::array();
        for (const auto& c : staged->next->contests) contests.push_back(c.id);
        int generation = self->slot_.publish(std::move(staged->next));
        // The next poll loads every contest's roster and freeze state again, into the new objects.
        self->sync_.forget_revisions();
        done({{"reloaded", true}, {"generation", generation}, {"contests", contests}, {"restart_needed_for", restart}}, true);
    };
    if (staged->remaining == 0) return staged->finish();
    for (const auto& c : staged->next->contests)
        engine::load_roster(redis_, c, [staged, &c](auto roster, std::string, std::string error) {
            if (roster) c.publish_roster(std::move(*roster), engine::now_seconds());
            else if (staged->error.empty()) staged->error = error.empty() ? "no answer" : error;
            if (--staged->remaining == 0) staged->finish();
        });
}

}  // namespace lb::gateway
