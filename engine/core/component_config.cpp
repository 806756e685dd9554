#include "component_config.hpp"

namespace lb::engine {

using json = nlohmann::json;

namespace {

std::optional<hand_in_rules> load_submissions(json_reader& r, const json& node, const std::string& path, const contest& c) {
    if (!r.object(node, path)) return std::nullopt;
    hand_in_rules out;
    auto late = r.string(node, path, "late", false).value_or("refuse");
    if (late != "refuse" && late != "accept") r.fail(path + ".late", "expected \"refuse\" or \"accept\"");
    out.accept_late = late == "accept";
    auto combine = r.string(node, path, "combine", false).value_or("sum");
    if (combine != "sum" && combine != "mean") r.fail(path + ".combine", "expected \"sum\" or \"mean\"");
    out.mean = combine == "mean";
    const json* list = r.array(node, path, "assignments", true);
    if (!list) return std::nullopt;
    if (list->empty() || list->size() > 100) r.fail(path + ".assignments", "expected 1 to 100 assignments");
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto where = indexed_path(path + ".assignments", i);
        const json& item = (*list)[i];
        if (!r.object(item, where)) continue;
        auto id = r.string(item, where, "id", true);
        if (id && !is_plain_id(*id)) r.fail(where + ".id", "expected letters, digits, '_', '.' or '-'");
        if (id && out.find(*id)) r.fail(where + ".id", "duplicate assignment id \"" + *id + "\"");
        auto opens = r.time(item, where, "opens_at", true);
        auto due = r.time(item, where, "due_at", true);
        if (opens && due && *due <= *opens) r.fail(where + ".due_at", "must be after opens_at");
        if (due && *due > c.ends_at) r.fail(where + ".due_at", "must be no later than the contest's ends_at");
        localized_text name{id.value_or(""), id.value_or("")};
        if (item.contains("name"))
            if (auto given = r.text(item, where, "name")) name = *given;
        if (id && opens && due) out.assignments.push_back({*id, name, *opens, *due});
    }
    return out;
}

}  // namespace

void load_components(json_reader& r, const json& node, const std::string& path, contest& c) {
    if (!node.is_array()) return r.fail(path, "expected an array");
    for (std::size_t i = 0; i < node.size(); ++i) {
        auto item_path = indexed_path(path, i);
        if (!r.object(node[i], item_path)) continue;
        auto id = r.string(node[i], item_path, "id", true);
        if (id && (!is_plain_id(*id) || *id == "pull_requests" || *id == "reproductions"))
            r.fail(item_path + ".id", "expected letters, digits, '_', '.' or '-', other than pull_requests and reproductions");
        for (const auto& other : c.components)
            if (id && other.id == *id) r.fail(item_path + ".id", "duplicate component id \"" + *id + "\"");
        auto weight = r.number(node[i], item_path, "weight", false).value_or(1.0);
        auto max = r.points(node[i], item_path, "max", true);
        if (max && *max <= 0) r.fail(item_path + ".max", "must be positive");
        localized_text name{id.value_or(""), id.value_or("")};
        if (node[i].contains("name"))
            if (auto given = r.text(node[i], item_path, "name")) name = *given;
        std::optional<hand_in_rules> submissions;
        if (const json* given = r.member(node[i], item_path, "submissions", false))
            submissions = load_submissions(r, *given, item_path + ".submissions", c);
        if (id && max) c.components.push_back({*id, weight, *max, name, std::move(submissions)});
    }
}

}  // namespace lb::engine
