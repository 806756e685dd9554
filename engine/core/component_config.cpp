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

std::optional<vote_rules> load_vote(json_reader& r, const json& node, const std::string& path, const contest& c) {
    if (!r.object(node, path)) return std::nullopt;
    vote_rules out;
    auto opens = r.time(node, path, "opens_at", true);
    auto closes = r.time(node, path, "closes_at", true);
    if (opens && closes && *closes <= *opens) r.fail(path + ".closes_at", "must be after opens_at");
    if (closes && *closes > c.ends_at) r.fail(path + ".closes_at", "must be no later than the contest's ends_at");
    auto k = r.number(node, path, "k", false).value_or(1);
    if (k != static_cast<int>(k) || k < 1 || k > 10) r.fail(path + ".k", "expected a whole number from 1 to 10");
    auto ballot = r.string(node, path, "ballot", false).value_or("approval");
    if (ballot != "approval" && ballot != "ranked") r.fail(path + ".ballot", "expected \"approval\" or \"ranked\"");
    auto voters = r.string(node, path, "voters", false).value_or("members");
    if (voters != "members" && voters != "members_joined_before_open")
        r.fail(path + ".voters", "expected \"members\" or \"members_joined_before_open\"");
    auto tallies = r.string(node, path, "show_tallies", false).value_or("after_close");
    if (tallies != "after_close" && tallies != "live") r.fail(path + ".show_tallies", "expected \"after_close\" or \"live\"");
    if (r.member(node, path, "points_per_vote", false)) {
        out.per_vote = r.points(node, path, "points_per_vote", true);
        if (out.per_vote && *out.per_vote <= 0) r.fail(path + ".points_per_vote", "must be positive");
    }
    if (!opens || !closes) return std::nullopt;
    out.opens_at = *opens;
    out.closes_at = *closes;
    out.k = k >= 1 && k <= 10 ? static_cast<int>(k) : 1;
    out.ranked = ballot == "ranked";
    out.joined_before_open = voters == "members_joined_before_open";
    out.live_tallies = tallies == "live";
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
        auto kind = r.string(node[i], item_path, "kind", false).value_or("judged");
        if (kind != "judged" && kind != "votes") r.fail(item_path + ".kind", "expected \"judged\" or \"votes\"");
        std::optional<vote_rules> vote;
        if (kind == "votes") {
            if (submissions) r.fail(item_path + ".submissions", "a vote takes entries, not homework");
            if (const json* given = r.member(node[i], item_path, "vote", true)) vote = load_vote(r, *given, item_path + ".vote", c);
        } else if (r.member(node[i], item_path, "vote", false)) {
            r.fail(item_path + ".vote", "only a component of \"kind\": \"votes\" has a vote");
        }
        if (id && max) c.components.push_back({*id, weight, *max, name, std::move(submissions), std::move(vote)});
    }
}

}  // namespace lb::engine
