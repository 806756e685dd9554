#include "api/season_cache.hpp"

#include "common/metrics.hpp"
#include "clock.hpp"
#include "people_store.hpp"
#include "store_keys.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

// What a season's page depends on beyond the config: one state string, read in one round trip.
std::vector<engine::redis_command> state_commands(const engine::config& cfg, const engine::season& s) {
    std::vector<engine::redis_command> commands{{{"GET", engine::keys::community("person_seq")}}, {{"GET", engine::keys::community("moves")}}};
    for (const auto& entry : s.contests) {
        if (!cfg.find_contest(entry.contest)) continue;
        commands.push_back({{"XREVRANGE", engine::keys::log(entry.contest), "+", "-", "COUNT", "1"}});
        commands.push_back({{"GET", engine::keys::roster_revision(entry.contest)}});
    }
    return commands;
}

std::optional<std::string> state_of(const std::vector<engine::redis_value>& replies, const engine::config& cfg, const engine::season& s,
                                    std::string& error) {
    std::string state;
    for (const auto& reply : replies) {
        if (reply.is_error()) return error = reply.text, std::nullopt;
        // The log's latest entry id (its fields are not needed), or a counter's value.
        if (reply.kind == engine::redis_value::type::array)
            state += reply.elements.empty() || reply.elements[0].elements.empty() ? "-" : reply.elements[0].elements[0].text;
        else
            state += reply.is_nil() ? "-" : reply.text;
        state += ' ';
    }
    // Public reads follow each contest's freeze, which can begin by the clock alone.
    auto now = engine::now_seconds();
    for (const auto& entry : s.contests)
        if (const auto* c = cfg.find_contest(entry.contest)) state += c->public_frozen(now) ? 'f' : 'l';
    return state;
}

}  // namespace

void season_cache::read(engine::redis_executor& redis, const engine::config& cfg, const engine::season& s,
                        const engine::season_page_query& query, page_handler done) {
    // The season object's address names the config it came from: a reload starts afresh.
    auto key = std::to_string(reinterpret_cast<std::uintptr_t>(&s)) + ' ' + query.board + ' ' + std::to_string(query.offset) + ' ' +
               std::to_string(query.limit) + (query.public_view ? " public" : " admin");
    redis.execute(state_commands(cfg, s), [this, &redis, &cfg, &s, query, key = std::move(key), done = std::move(done)](
                                              std::vector<engine::redis_value> replies) mutable {
        std::string error;
        auto state = state_of(replies, cfg, s, error);
        if (!state) return done(nullptr, error);
        answer(redis, cfg, s, query, std::move(key), std::move(*state), std::move(done));
    });
}

void season_cache::answer(engine::redis_executor& redis, const engine::config& cfg, const engine::season& s,
                          const engine::season_page_query& query, std::string key, std::string state, page_handler done) {
    std::shared_ptr<const json> kept;
    {
        std::lock_guard lock(mutex_);
        if (auto it = pages_.find(key); it != pages_.end() && it->second.state == state) {
            it->second.used = ++clock_;
            kept = it->second.page;
        } else {
            // One computation of a page at a time: a read that comes while one runs takes its result,
            // whichever state it started from (at most one computation older), so a contest busy
            // with awards never makes every page compute its own.
            auto [waiting, first] = computing_.try_emplace(key);
            waiting->second.push_back(std::move(done));
            if (!first) {
                ++counters_.season_pages_shared;
                return;
            }
        }
    }
    if (kept) {
        ++counters_.season_pages_cached;
        return done(std::move(kept), "");
    }
    ++counters_.season_pages_computed;
    engine::read_season(redis, cfg, s, query, engine::now_seconds(),
                        [this, key = std::move(key), state = std::move(state)](auto page, std::string error) {
                            std::shared_ptr<const json> shared;
                            if (page) shared = std::make_shared<const json>(std::move(*page));
                            std::vector<page_handler> waiting;
                            {
                                std::lock_guard lock(mutex_);
                                if (shared) keep(key, state, shared);
                                auto it = computing_.find(key);
                                waiting = std::move(it->second);
                                computing_.erase(it);
                            }
                            for (auto& handler : waiting) handler(shared, error);
                        });
}

void season_cache::keep(const std::string& key, const std::string& state, std::shared_ptr<const json> page) {
    if (pages_.size() >= pages_kept_ && !pages_.count(key)) {
        auto oldest = pages_.begin();
        for (auto it = pages_.begin(); it != pages_.end(); ++it)
            if (it->second.used < oldest->second.used) oldest = it;
        pages_.erase(oldest);
    }
    pages_[key] = {state, std::move(page), ++clock_};
}

}  // namespace lb::gateway
