#pragma once
// "rules.components": judged components, each optionally taking homework handed in per
// assignment, and public votes. Read as part of load_config (engine/core/component_config.cpp).
#include <string>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "json_reader.hpp"

namespace lb::engine {

// [{"id", "name"?, "weight"?, "max", "submissions"?: {"assignments": [{"id", "name"?, "opens_at",
// "due_at"}], "late": "refuse" | "accept", "combine": "sum" | "mean"}, "kind"?: "judged" | "votes",
// "vote"?: {"opens_at", "closes_at", "k"?: 1..10, "ballot"?: "approval" | "ranked", "voters"?:
// "members" | "members_joined_before_open", "show_tallies"?: "after_close" | "live", "points_per_vote"?}}]
void load_components(json_reader& r, const nlohmann::json& node, const std::string& path, contest& c);

}  // namespace lb::engine
