#include "config_loader.hpp"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "json_reader.hpp"
#include "scoring.hpp"

namespace lb::engine {
namespace {

using nlohmann::json;

const std::regex contest_id_pattern("[a-z0-9][a-z0-9-]{0,39}");
const std::regex member_id_pattern("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
const std::regex env_name_pattern("[A-Za-z_][A-Za-z0-9_]*");
const std::regex repo_pattern("(github|gitee):[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

std::string at(const std::string& path, std::size_t index) { return path + "[" + std::to_string(index) + "]"; }

void load_teams(json_reader& r, const json& node, const std::string& path, contest& c) {
    const json* items = r.array(node, path, "teams", false);
    if (!items) return;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto item_path = at(path + ".teams", i);
        if (!r.object((*items)[i], item_path)) continue;
        const auto& item = (*items)[i];
        team t;
        auto id = r.string(item, item_path, "id", true);
        if (id && !std::regex_match(*id, member_id_pattern)) r.fail(item_path + ".id", "expected letters, digits, '_', '.' or '-' (at most 64)");
        else if (id && !seen.insert(*id).second) r.fail(item_path + ".id", "duplicate team id \"" + *id + "\"");
        auto kind = r.string(item, item_path, "kind", true);
        if (kind && !parse_team_kind(*kind)) r.fail(item_path + ".kind", "expected \"city\", \"school\" or \"company\"");
        auto name = r.text(item, item_path, "name");
        if (!id || !kind || !parse_team_kind(*kind) || !name) continue;
        c.teams.push_back({*id, *name, *parse_team_kind(*kind)});
    }
    c.build_indexes();
}

void load_participants(json_reader& r, const json& node, const std::string& path, contest& c) {
    const json* items = r.array(node, path, "participants", false);
    if (!items) return;
    std::set<std::string> logins, seen;
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto item_path = at(path + ".participants", i);
        if (!r.object((*items)[i], item_path)) continue;
        const auto& item = (*items)[i];
        participant p;
        auto id = r.string(item, item_path, "id", true);
        if (id && !std::regex_match(*id, member_id_pattern)) r.fail(item_path + ".id", "expected letters, digits, '_', '.' or '-' (at most 64)");
        else if (id && !seen.insert(*id).second) r.fail(item_path + ".id", "duplicate participant id \"" + *id + "\"");
        auto name = r.string(item, item_path, "name", true);
        if (name && name->empty()) r.fail(item_path + ".name", "must not be empty");
        for (const char* host : {"github", "gitee"}) {
            auto login = r.string(item, item_path, host, false);
            if (!login || login->empty()) continue;
            if (!logins.insert(std::string(host) + ":" + to_lower_ascii(*login)).second)
                r.fail(item_path + "." + host, "login \"" + *login + "\" belongs to another participant");
            (std::string_view(host) == "github" ? p.github : p.gitee) = *login;
        }
        std::set<team_kind> kinds;
        auto team_ids = r.strings(item, item_path, "teams");
        for (std::size_t t = 0; t < team_ids.size(); ++t) {
            const team* found = c.find_team(team_ids[t]);
            if (!found) r.fail(at(item_path + ".teams", t), "unknown team \"" + team_ids[t] + "\"");
            else if (!kinds.insert(found->kind).second)
                r.fail(at(item_path + ".teams", t), std::string("a participant has at most one team of kind ") + to_string(found->kind));
        }
        if (!id || !name || name->empty()) continue;
        p.id = *id;
        p.name = *name;
        p.teams = team_ids;
        c.participants.push_back(std::move(p));
    }
}

void load_label_set(json_reader& r, const json& node, const std::string& path, const char* key, std::set<std::string>& out) {
    for (const auto& label : r.strings(node, path, key)) out.insert(normalize_label(label));
}

void load_pull_request_rules(json_reader& r, const json& node, const std::string& path, pull_request_rules& rules) {
    if (!r.object(node, path)) return;
    rules.enabled = true;
    rules.weight = r.number(node, path, "weight", false).value_or(1.0);
    rules.base_points = r.points(node, path, "base_points", false).value_or(0);
    if (const json* labels = r.member(node, path, "label_points", false)) {
        if (r.object(*labels, path + ".label_points"))
            for (const auto& [label, value] : labels->items())
                if (auto p = r.points(value, path + ".label_points." + label)) rules.label_points[normalize_label(label)] = *p;
    }
    auto mode = r.string(node, path, "label_mode", false).value_or("max");
    if (mode == "max") rules.mode = label_mode::max;
    else if (mode == "sum") rules.mode = label_mode::sum;
    else r.fail(path + ".label_mode", "expected \"max\" or \"sum\"");
    load_label_set(r, node, path, "exclude_labels", rules.exclude_labels);
    load_label_set(r, node, path, "require_labels", rules.require_labels);
    rules.max_points_per_pr = r.points(node, path, "max_points_per_pr", false);
    if (rules.max_points_per_pr && *rules.max_points_per_pr < 0) r.fail(path + ".max_points_per_pr", "must not be negative");
}

void load_models(json_reader& r, const json& node, const std::string& path, contest& c) {
    if (!r.object(node, path)) return;
    c.reproduction_weight = r.number(node, path, "weight", false).value_or(1.0);
    const json* items = r.array(node, path, "models", true);
    if (!items) return;
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto item_path = at(path + ".models", i);
        if (!r.object((*items)[i], item_path)) continue;
        const auto& item = (*items)[i];
        model_rule m;
        auto id = r.string(item, item_path, "id", true);
        if (id && !std::regex_match(*id, member_id_pattern)) r.fail(item_path + ".id", "expected letters, digits, '_', '.' or '-'");
        auto name = r.text(item, item_path, "name");
        auto points = r.points(item, item_path, "points", true);
        auto metric = r.string(item, item_path, "metric", true);
        auto target = r.number(item, item_path, "target", true);
        auto tolerance = r.number(item, item_path, "tolerance", false);
        if (tolerance && *tolerance < 0) r.fail(item_path + ".tolerance", "must not be negative");
        auto bonus = r.points(item, item_path, "first_bonus", false);
        if (!id || !name || !points || !metric || !target) continue;
        c.models.push_back({*id, *name, *points, *metric, *target, tolerance.value_or(0), bonus.value_or(0)});
    }
}

void load_components(json_reader& r, const json& node, const std::string& path, contest& c) {
    if (!node.is_array()) return r.fail(path, "expected an array");
    for (std::size_t i = 0; i < node.size(); ++i) {
        auto item_path = at(path, i);
        if (!r.object(node[i], item_path)) continue;
        auto id = r.string(node[i], item_path, "id", true);
        if (id && (!std::regex_match(*id, member_id_pattern) || *id == "pull_requests" || *id == "reproductions"))
            r.fail(item_path + ".id", "expected letters, digits, '_', '.' or '-', other than pull_requests and reproductions");
        for (const auto& other : c.components)
            if (id && other.id == *id) r.fail(item_path + ".id", "duplicate component id \"" + *id + "\"");
        auto weight = r.number(node[i], item_path, "weight", false).value_or(1.0);
        auto max = r.points(node[i], item_path, "max", true);
        if (max && *max <= 0) r.fail(item_path + ".max", "must be positive");
        if (id && max) c.components.push_back({*id, weight, *max});
    }
}

void load_rules(json_reader& r, const json& node, const std::string& path, contest& c) {
    const json* rules = r.member(node, path, "rules", false);
    if (!rules || !r.object(*rules, path + ".rules")) return;
    auto rules_path = path + ".rules";
    if (const json* prs = r.member(*rules, rules_path, "pull_requests", false)) load_pull_request_rules(r, *prs, rules_path + ".pull_requests", c.pull_requests);
    if (const json* models = r.member(*rules, rules_path, "reproductions", false)) load_models(r, *models, rules_path + ".reproductions", c);
    if (const json* components = r.member(*rules, rules_path, "components", false)) load_components(r, *components, rules_path + ".components", c);
}

void load_window(json_reader& r, const json& node, const std::string& path, contest& c) {
    auto starts = r.time(node, path, "starts_at", true);
    auto ends = r.time(node, path, "ends_at", true);
    c.freeze_at = r.time(node, path, "freeze_at", false);
    if (starts && ends && *ends <= *starts) r.fail(path + ".ends_at", "must be after starts_at");
    if (starts && ends && *ends - *starts > max_contest_span_seconds) r.fail(path + ".ends_at", "a contest may last at most 150 days");
    if (starts && ends && c.freeze_at && (*c.freeze_at <= *starts || *c.freeze_at > *ends))
        r.fail(path + ".freeze_at", "must lie after starts_at and not after ends_at");
    c.starts_at = starts.value_or(0);
    c.ends_at = ends.value_or(0);
}

void load_contest(json_reader& r, const json& node, const std::string& path, config& out) {
    if (!r.object(node, path)) return;
    contest c;
    auto id = r.string(node, path, "id", true);
    if (id && !std::regex_match(*id, contest_id_pattern)) r.fail(path + ".id", "expected a slug: a-z, 0-9 and '-', at most 40, not starting with '-'");
    else if (id && out.find_contest(*id)) r.fail(path + ".id", "duplicate contest id \"" + *id + "\"");
    c.id = id.value_or("");
    if (auto title = r.text(node, path, "title")) c.title = *title;
    load_window(r, node, path, c);
    auto repos = r.strings(node, path, "repos");
    for (std::size_t i = 0; i < repos.size(); ++i) {
        if (!std::regex_match(repos[i], repo_pattern)) r.fail(at(path + ".repos", i), "expected \"github:owner/name\" or \"gitee:owner/name\"");
        else c.repos.push_back(to_lower_ascii(repos[i]));
    }
    load_teams(r, node, path, c);
    load_participants(r, node, path, c);
    load_rules(r, node, path, c);
    c.build_indexes();
    out.contests.push_back(std::move(c));
}

void load_webhooks(json_reader& r, const json& node, config& out) {
    const json* hooks = r.member(node, "", "webhooks", false);
    if (!hooks || !r.object(*hooks, "webhooks")) return;
    if (const json* github = r.member(*hooks, "webhooks", "github", false); github && r.object(*github, "webhooks.github"))
        out.webhooks.github_secret_env = r.string(*github, "webhooks.github", "secret_env", true).value_or("");
    if (const json* gitee = r.member(*hooks, "webhooks", "gitee", false); gitee && r.object(*gitee, "webhooks.gitee")) {
        out.webhooks.gitee_secret_env = r.string(*gitee, "webhooks.gitee", "secret_env", true).value_or("");
        out.webhooks.gitee_mode = r.string(*gitee, "webhooks.gitee", "mode", false).value_or("signature");
        if (out.webhooks.gitee_mode != "signature" && out.webhooks.gitee_mode != "password")
            r.fail("webhooks.gitee.mode", "expected \"signature\" or \"password\"");
        auto window = r.number(*gitee, "webhooks.gitee", "timestamp_window_seconds", false);
        if (window && (*window < 1 || *window > 86400)) r.fail("webhooks.gitee.timestamp_window_seconds", "expected 1 to 86400 seconds");
        else if (window) out.webhooks.gitee_timestamp_window_seconds = static_cast<long long>(*window);
    }
    for (const auto* name : {&out.webhooks.github_secret_env, &out.webhooks.gitee_secret_env})
        if (!name->empty() && !std::regex_match(*name, env_name_pattern))
            r.fail(name == &out.webhooks.github_secret_env ? "webhooks.github.secret_env" : "webhooks.gitee.secret_env",
                   "expected the name of an environment variable (the secret itself never goes in this file)");
}

void load_live(json_reader& r, const json& node, config& out) {
    const json* live = r.member(node, "", "live", false);
    if (!live || !r.object(*live, "live")) return;
    out.live.allowed_origins = r.strings(*live, "live", "allowed_origins");
    for (std::size_t i = 0; i < out.live.allowed_origins.size(); ++i)
        if (!out.live.allowed_origins[i].starts_with("http://") && !out.live.allowed_origins[i].starts_with("https://"))
            r.fail(at("live.allowed_origins", i), "expected an origin such as https://leaderboard.example.org");
    if (auto bytes = r.number(*live, "live", "queue_bytes", false)) {
        if (*bytes < 16384 || *bytes > 64 * 1024 * 1024) r.fail("live.queue_bytes", "expected 16384 to 67108864");
        else out.live.queue_bytes = static_cast<long long>(*bytes);
    }
    if (auto seconds = r.number(*live, "live", "stuck_seconds", false)) {
        if (*seconds < 1 || *seconds > 600) r.fail("live.stuck_seconds", "expected 1 to 600");
        else out.live.stuck_seconds = static_cast<long long>(*seconds);
    }
}

}  // namespace

config_result load_config(const json& document) {
    config_result result;
    json_reader r(result.errors);
    if (!document.is_object()) {
        r.fail("(document)", "expected a JSON object");
        return result;
    }
    // Paths of top-level fields read without a leading dot.
    auto token_env = r.string(document, "", "admin_token_env", true);
    if (token_env && !std::regex_match(*token_env, env_name_pattern))
        r.fail("admin_token_env", "expected the name of an environment variable (the token itself never goes in this file)");
    result.value.admin_token_env = token_env.value_or("");
    load_webhooks(r, document, result.value);
    load_live(r, document, result.value);
    const json* contests = r.array(document, "", "contests", true);
    if (contests && contests->empty()) r.fail("contests", "must list at least one contest");
    if (contests)
        for (std::size_t i = 0; i < contests->size(); ++i) load_contest(r, (*contests)[i], at("contests", i), result.value);
    for (auto& error : result.errors)
        if (error.path.starts_with(".")) error.path.erase(0, 1);
    return result;
}

config_result load_config_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return {{}, {{path, "cannot be read"}}};
    std::stringstream content;
    content << file.rdbuf();
    try {
        return load_config(json::parse(content.str()));
    } catch (const json::parse_error& error) {
        return {{}, {{path, std::string("is not valid JSON (") + error.what() + ")"}}};
    }
}

}  // namespace lb::engine
