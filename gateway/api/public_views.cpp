// Contest descriptions and static files: answers that need no Redis.
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "api/api_router.hpp"
#include "award.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

json text_json(const engine::localized_text& text) { return {{"en", text.en}, {"zh", text.zh}}; }

json contest_summary(const engine::contest& c) {
    json j{{"id", c.id}, {"title", text_json(c.title)}, {"starts_at", engine::format_rfc3339(c.starts_at)},
           {"ends_at", engine::format_rfc3339(c.ends_at)}, {"repos", c.repos}, {"boards", c.boards()}};
    j["freeze_at"] = c.freeze_at ? json(engine::format_rfc3339(*c.freeze_at)) : json(nullptr);
    j["frozen"] = c.public_frozen(engine::now_seconds());
    return j;
}

json rules_json(const engine::contest& c) {
    json rules = json::object();
    if (c.pull_requests.enabled) {
        const auto& pr = c.pull_requests;
        json labels = json::object();
        for (const auto& [label, points] : pr.label_points) labels[label] = engine::points_json(points);
        rules["pull_requests"] = {{"base_points", engine::points_json(pr.base_points)}, {"label_points", labels},
                                  {"label_mode", pr.mode == engine::label_mode::max ? "max" : "sum"},
                                  {"exclude_labels", pr.exclude_labels}, {"require_labels", pr.require_labels},
                                  {"weight", pr.weight}};
        rules["pull_requests"]["max_points_per_pr"] =
            pr.max_points_per_pr ? json(engine::points_json(*pr.max_points_per_pr)) : json(nullptr);
    }
    json models = json::array();
    for (const auto& m : c.models)
        models.push_back({{"id", m.id}, {"name", text_json(m.name)}, {"points", engine::points_json(m.points)},
                          {"metric", m.metric}, {"target", m.target}, {"tolerance", m.tolerance},
                          {"first_bonus", engine::points_json(m.first_bonus)}});
    if (!models.empty())
        rules["reproductions"] = {{"models", models}, {"weight", c.reproduction_weight},
                                  {"auto_accept_pull_requests", c.auto_accept_reproduction_prs}};
    json components = json::array();
    for (const auto& comp : c.components)
        components.push_back({{"id", comp.id}, {"weight", comp.weight}, {"max", engine::points_json(comp.max)}});
    if (!components.empty()) rules["components"] = components;
    return rules;
}

}  // namespace

std::string contests_json(const engine::config& config) {
    json list = json::array();
    for (const auto& c : config.contests) list.push_back(contest_summary(c));
    return json{{"contests", list}}.dump();
}

std::string contest_json(const engine::contest& c) {
    json j = contest_summary(c);
    json teams = json::array();
    for (const auto& t : c.members().teams()) teams.push_back({{"id", t.id}, {"name", text_json(t.name)}, {"kind", engine::to_string(t.kind)}});
    json participants = json::array();
    for (const auto& p : c.members().participants()) {
        participants.push_back({{"id", p.id}, {"name", p.name}, {"teams", p.teams}});
        if (p.disqualified) participants.back()["disqualified"] = true;
    }
    j["teams"] = teams;
    j["participants"] = participants;
    j["rules"] = rules_json(c);
    return j.dump();
}

api_response static_file(const std::string& dir, const request_target& target) {
    static const std::regex plain_name("[A-Za-z0-9_-][A-Za-z0-9_.-]*");
    if (target.segments.size() > 1) return json_error(404, "not_found", "no such file");
    std::string name = target.segments.empty() ? "index.html" : target.segments[0];
    if (!std::regex_match(name, plain_name) || name.find("..") != std::string::npos)
        return json_error(404, "not_found", "no such file");
    std::ifstream file(dir + "/" + name, std::ios::binary);
    if (!file) return json_error(404, "not_found", "no such file");
    std::stringstream content;
    content << file.rdbuf();
    static const std::pair<const char*, const char*> types[] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
        {".json", "application/json"},         {".png", "image/png"}};
    std::string type = "application/octet-stream";
    for (const auto& [suffix, mime] : types)
        if (name.ends_with(suffix)) type = mime;
    return {200, type, content.str(), {{"Cache-Control", "no-cache"}, {"X-Content-Type-Options", "nosniff"}}};
}

}  // namespace lb::gateway
