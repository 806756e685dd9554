#include "levels.hpp"

#include "award.hpp"

namespace lb::engine {

std::vector<level_rule> default_ladder() {
    return {{"L0", "Registered", "已注册", std::nullopt, std::nullopt},
            {"L1", "First merge", "首次合并", 1, std::nullopt},
            {"L2", "Contributor", "贡献者", 5, 100 * 100},
            {"L3", "Regular", "常驻贡献者", 20, 500 * 100},
            {"L4", "Core", "核心贡献者", 50, 2000 * 100}};
}

namespace {

bool reached(const level_rule& rule, const activity_totals& totals) {
    if (!rule.merged_prs && !rule.points) return true;
    return (rule.merged_prs && totals.merged_prs >= *rule.merged_prs) || (rule.points && totals.points >= *rule.points);
}

}  // namespace

std::size_t level_reached(const std::vector<level_rule>& ladder, const activity_totals& totals) {
    std::size_t level = 0;
    for (std::size_t i = 0; i < ladder.size() && reached(ladder[i], totals); ++i) level = i;
    return level;
}

nlohmann::json level_json(const std::vector<level_rule>& ladder, const activity_totals& totals) {
    if (ladder.empty()) return nullptr;
    auto index = level_reached(ladder, totals);
    const auto& at = ladder[index];
    nlohmann::json out = {{"index", index}, {"id", at.id}, {"name", at.name}, {"name_zh", at.name_zh}, {"next", nullptr}};
    if (index + 1 < ladder.size()) {
        const auto& next = ladder[index + 1];
        out["next"] = {{"id", next.id}, {"name", next.name}, {"name_zh", next.name_zh},
                       {"merged_prs", next.merged_prs ? nlohmann::json(*next.merged_prs) : nlohmann::json(nullptr)},
                       {"points", next.points ? points_json(*next.points) : nlohmann::json(nullptr)}};
    }
    return out;
}

}  // namespace lb::engine
