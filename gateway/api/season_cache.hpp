#pragma once
// A season's boards are computed when read (its contests' boards, the community's people, the
// movers' dated awards: about half a second over a hundred thousand members), and every open season
// page reads again whenever one of its contests moves. This keeps each computed page with the
// state it came from: each contest's latest award-log entry, roster revision and public freeze, the
// community's counts of members and moves. A read whose state is the same is answered from it, and
// reads that arrive while the page is being computed wait for that computation: one per change at
// most, and never more than one at a time, whatever the audience and however busy the contests.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "redis_types.hpp"
#include "season_read.hpp"

namespace lb::gateway {

class metrics;

class season_cache {
public:
    using page_handler = std::function<void(std::shared_ptr<const nlohmann::json> page, std::string error)>;
    explicit season_cache(metrics& counters, std::size_t pages_kept = 256) : counters_(counters), pages_kept_(pages_kept) {}

    void read(engine::redis_executor& redis, const engine::config& cfg, const engine::season& s, const engine::season_page_query& query,
              page_handler done);

private:
    struct kept_page {
        std::string state;
        std::shared_ptr<const nlohmann::json> page;
        std::uint64_t used = 0;
    };
    void answer(engine::redis_executor& redis, const engine::config& cfg, const engine::season& s, const engine::season_page_query& query,
                std::string key, std::string state, page_handler done);
    void keep(const std::string& key, const std::string& state, std::shared_ptr<const nlohmann::json> page);

    metrics& counters_;
    std::size_t pages_kept_;
    std::mutex mutex_;
    std::uint64_t clock_ = 0;
    std::map<std::string, kept_page> pages_;                       // query -> the page last computed
    std::map<std::string, std::vector<page_handler>> computing_;  // query -> who waits for its computation
};

}  // namespace lb::gateway
