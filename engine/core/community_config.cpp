#include "access_config.hpp"

#include <regex>

namespace lb::engine {

using json = nlohmann::json;

// "levels": [{"id": "L1", "name": "First merge", "merged_prs": 1}, {"id": "L2", ..., "points": 100}]:
// the first rung has no thresholds (everyone registered is on it), the later ones one or both.
static void load_levels(json_reader& r, const json& block, community_settings& out) {
    const json* list = r.member(block, "community", "levels", false);
    if (!list) return;
    if (!list->is_array() || list->empty() || list->size() > 20) return r.fail("community.levels", "expected a list of 1 to 20 levels");
    std::vector<level_rule> ladder;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto where = "community.levels[" + std::to_string(i) + "]";
        const json& item = (*list)[i];
        if (!r.object(item, where)) return;
        level_rule rule;
        auto id = r.string(item, where, "id", true);
        auto name = r.string(item, where, "name", true);
        if (!id || !name) return;
        if (id->empty() || id->size() > 16) return r.fail(where + ".id", "expected 1 to 16 characters");
        if (name->empty() || name->size() > 64) return r.fail(where + ".name", "expected 1 to 64 characters");
        rule.id = *id;
        rule.name = *name;
        if (auto zh = r.string(item, where, "name_zh", false)) {
            if (zh->size() > 64) return r.fail(where + ".name_zh", "expected at most 64 characters");
            rule.name_zh = *zh;
        }
        for (const char* key : {"merged_prs", "points"}) {
            auto value = r.number(item, where, key, false);
            if (!value) continue;
            if (*value < 0 || *value > 1e9 || *value != static_cast<double>(static_cast<long long>(*value)))
                return r.fail(where + "." + key, "expected a whole number from 0 to 1000000000");
            if (std::string_view(key) == "merged_prs") rule.merged_prs = static_cast<long long>(*value);
            else rule.points = static_cast<centi>(*value) * 100;
        }
        bool thresholds = rule.merged_prs || rule.points;
        if (i == 0 && thresholds) return r.fail(where, "the first level is everyone's: it takes no merged_prs or points");
        if (i > 0 && !thresholds) return r.fail(where, "expected merged_prs, points or both");
        ladder.push_back(std::move(rule));
    }
    out.ladder = std::move(ladder);
}

// "community": {"id_prefix": "MSG-", "id_width": 6, "max_pending": 10000}: its presence opens sign-ups.
void load_community(json_reader& r, const json& node, config& out) {
    const json* block = r.member(node, "", "community", false);
    if (!block || !r.object(*block, "community")) return;
    out.community.registration_open = true;
    static const std::regex prefix_pattern("[A-Za-z]{1,8}-?");
    if (auto prefix = r.string(*block, "community", "id_prefix", false)) {
        if (!std::regex_match(*prefix, prefix_pattern)) r.fail("community.id_prefix", "expected 1 to 8 letters, optionally ending in '-'");
        else out.community.id_prefix = *prefix;
    }
    auto whole = [&](const char* key, int low, int high, int& into) {
        auto value = r.number(*block, "community", key, false);
        if (!value) return;
        if (*value < low || *value > high || *value != static_cast<double>(static_cast<long long>(*value)))
            r.fail(std::string("community.") + key, "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high));
        else into = static_cast<int>(*value);
    };
    whole("id_width", 1, 12, out.community.id_width);
    whole("max_pending", 1, 1000000, out.community.max_pending);
    whole("max_pending_per_client", 1, 1000000, out.community.max_pending_per_client);
    load_levels(r, *block, out.community);
    load_sign_in(r, *block, out.community);
}


}  // namespace lb::engine
