#pragma once
// The community's ladder of levels (L0 registered, L1 a first merged pull request, ...): a
// person reaches a level when their merged pull requests or their points across every
// contest reach either of its thresholds. Pure: the totals come from the ledger.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fixed_points.hpp"

namespace lb::engine {

struct level_rule {
    std::string id;    // "L2"
    std::string name;     // "Contributor"
    std::string name_zh;  // "贡献者" (the page shows name when empty)
    std::optional<long long> merged_prs;  // reached at this many merged pull requests ...
    std::optional<centi> points;          // ... or at this many points (either suffices)
};

// A person's totals across the community's contests, read from the contests' ledgers.
struct activity_totals {
    long long merged_prs = 0;
    centi points = 0;
};

// L0 (no thresholds) first, then rising thresholds: what a config without "levels" gets.
std::vector<level_rule> default_ladder();

// The index of the highest rule reached; rules are checked in order and each must be reached
// before the next counts (a ladder is climbed rung by rung). 0 when none has thresholds met.
std::size_t level_reached(const std::vector<level_rule>& ladder, const activity_totals& totals);

// {"id","name","index"} of the level, plus "next" with what the following rung asks.
nlohmann::json level_json(const std::vector<level_rule>& ladder, const activity_totals& totals);

}  // namespace lb::engine
