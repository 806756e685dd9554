#include "config_loader.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "csv.hpp"
#include "access_config.hpp"
#include "component_config.hpp"
#include "json_reader.hpp"
#include "presentation_config.hpp"
#include "roster_rows.hpp"
#include "scoring.hpp"
#include "seasons.hpp"
#include "untrusted_json.hpp"

namespace lb::engine {
namespace {

using nlohmann::json;

const std::regex contest_id_pattern("[a-z0-9][a-z0-9-]{0,39}");
const std::regex env_name_pattern("[A-Za-z_][A-Za-z0-9_]*");


// Rows from the contest object, or from a CSV file it names (relative to the config file).
std::optional<json> roster_rows(json_reader& r, const json& node, const std::string& path, const char* key,
                                const char* file_key, const std::vector<std::string>& columns,
                                const std::vector<std::string>& list_columns, const std::string& base_dir) {
    const json* inline_rows = r.array(node, path, key, false);
    auto file = r.string(node, path, file_key, false);
    if (inline_rows && file) r.fail(path + "." + file_key, std::string("give either ") + key + " or " + file_key + ", not both");
    if (!file) return inline_rows ? std::optional<json>(*inline_rows) : std::nullopt;
    std::string full = file->starts_with("/") ? *file : base_dir + "/" + *file;
    std::ifstream in(full, std::ios::binary);
    if (!in) {
        r.fail(path + "." + file_key, "cannot read \"" + full + "\"");
        return std::nullopt;
    }
    std::stringstream content;
    content << in.rdbuf();
    auto table = parse_csv(content.str());
    if (!table.error.empty()) {
        r.fail(path + "." + file_key, table.error);
        return std::nullopt;
    }
    auto converted = csv_to_rows(table, columns, list_columns);
    for (const auto& error : converted.errors) r.fail(path + "." + file_key, error);
    if (!converted.errors.empty()) return std::nullopt;
    localize_csv_names(converted.rows);
    return converted.rows;
}

void load_roster(json_reader& r, const json& node, const std::string& path, contest& c, const std::string& base_dir) {
    auto team_rows = roster_rows(r, node, path, "teams", "teams_file", {"id", "name", "name_zh", "kind"}, {}, base_dir);
    auto participant_rows = roster_rows(r, node, path, "participants", "participants_file",
                                        participant_columns(), {"teams"}, base_dir);
    auto namer = [](const std::string& base, const char* key, const char* file_key) -> row_namer {
        return [=](std::size_t i, const json& row) {
            if (auto line = integer_at(row, "_line")) return base + "." + file_key + " line " + std::to_string(*line);
            return indexed_path(base + "." + key, i);
        };
    };
    if (team_rows) c.teams = read_team_rows(r, *team_rows, namer(path, "teams", "teams_file"), roster());
    if (participant_rows)
        c.participants = read_participant_rows(r, *participant_rows, namer(path, "participants", "participants_file"), roster(c.teams, {}));
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
    if (const json* flag = r.member(node, path, "auto_accept_pull_requests", false)) {
        if (flag->is_boolean()) c.auto_accept_reproduction_prs = flag->get<bool>();
        else r.fail(path + ".auto_accept_pull_requests", "expected true or false");
    }
    const json* items = r.array(node, path, "models", true);
    if (!items) return;
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto item_path = indexed_path(path + ".models", i);
        if (!r.object((*items)[i], item_path)) continue;
        const auto& item = (*items)[i];
        model_rule m;
        auto id = r.string(item, item_path, "id", true);
        if (id && !is_plain_id(*id)) r.fail(item_path + ".id", "expected letters, digits, '_', '.' or '-'");
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
    if (starts && ends && *ends - *starts > max_contest_span_seconds) r.fail(path + ".ends_at", "a contest may last at most 400 days");
    if (starts && ends && c.freeze_at && (*c.freeze_at <= *starts || *c.freeze_at > *ends))
        r.fail(path + ".freeze_at", "must lie after starts_at and not after ends_at");
    c.starts_at = starts.value_or(0);
    c.ends_at = ends.value_or(0);
    if (auto every = r.number(node, path, "reconcile_every_minutes", false)) {
        if (*every < 0 || *every > 1440 || *every != std::floor(*every))
            r.fail(path + ".reconcile_every_minutes", "expected whole minutes from 0 (never) to 1440");
        else c.reconcile_every_minutes = static_cast<long long>(*every);
    }
}

void load_contest(json_reader& r, const json& node, const std::string& path, config& out, const std::string& base_dir) {
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
        auto repo = parse_repo_ref(repos[i]);
        if (!repo) r.fail(indexed_path(path + ".repos", i), "expected \"<host>:owner/name\" with host " + host_list() + " (GitLab: group/sub/project)");
        else c.repos.push_back(std::move(*repo));
    }
    load_roster(r, node, path, c, base_dir);
    load_rules(r, node, path, c);
    c.build_indexes();
    load_presentation(r, node, path, c, out.branding_dir);
    out.contests.push_back(std::move(c));
}

void load_host_api(json_reader& r, const json& node, const std::string& path, host_api_settings& out) {
    if (auto url = r.string(node, path, "api_url", false)) {
        while (url->ends_with("/")) url->pop_back();
        if (!url->starts_with("http://") && !url->starts_with("https://")) r.fail(path + ".api_url", "expected an http:// or https:// URL");
        else out.api_url = *url;
    }
    if (auto name = r.string(node, path, "token_env", false)) {
        if (!std::regex_match(*name, env_name_pattern))
            r.fail(path + ".token_env", "expected the name of an environment variable (the token itself never goes in this file)");
        else out.token_env = *name;
    }
}

void load_webhooks(json_reader& r, const json& node, config& out) {
    const json* hooks = r.member(node, "", "webhooks", false);
    if (!hooks || !r.object(*hooks, "webhooks")) return;
    for (const auto& [key, value] : hooks->items())
        if (!find_host(key)) r.fail("webhooks." + key, "not a code host (" + host_list() + ")");
    for (const auto& host : all_hosts()) {
        std::string path = "webhooks." + std::string(host.id);
        const json* block = r.member(*hooks, "webhooks", std::string(host.id).c_str(), false);
        if (!block || !r.object(*block, path)) continue;
        auto& h = out.webhooks.hosts[std::string(host.id)];
        h.configured = true;
        h.secret_env = r.string(*block, path, "secret_env", true).value_or("");
        if (!h.secret_env.empty() && !std::regex_match(h.secret_env, env_name_pattern))
            r.fail(path + ".secret_env", "expected the name of an environment variable (the secret itself never goes in this file)");
        load_host_api(r, *block, path, h.api);
        if (auto mode = r.string(*block, path, "mode", false)) {
            std::string expected;
            for (auto one : host.auth_modes)
                if (!one.empty()) expected += (expected.empty() ? "\"" : " or \"") + std::string(one) + "\"";
            if (std::find(host.auth_modes.begin(), host.auth_modes.end(), *mode) == host.auth_modes.end() || mode->empty())
                r.fail(path + ".mode", "expected " + expected);
            else h.mode = *mode;
        }
        auto window = r.number(*block, path, "timestamp_window_seconds", false);
        if (window && host.shape != body_shape::gitee) r.fail(path + ".timestamp_window_seconds", "only Gitee's hooks carry a timestamp");
        else if (window && (*window < 1 || *window > 86400)) r.fail(path + ".timestamp_window_seconds", "expected 1 to 86400 seconds");
        else if (window) h.timestamp_window_seconds = static_cast<long long>(*window);
    }
}

void load_live(json_reader& r, const json& node, config& out) {
    const json* live = r.member(node, "", "live", false);
    if (!live || !r.object(*live, "live")) return;
    out.live.allowed_origins = r.strings(*live, "live", "allowed_origins");
    for (std::size_t i = 0; i < out.live.allowed_origins.size(); ++i)
        if (!out.live.allowed_origins[i].starts_with("http://") && !out.live.allowed_origins[i].starts_with("https://"))
            r.fail(indexed_path("live.allowed_origins", i), "expected an origin such as https://leaderboard.example.org");
    if (auto bytes = r.number(*live, "live", "queue_bytes", false)) {
        if (*bytes < 16384 || *bytes > 64 * 1024 * 1024) r.fail("live.queue_bytes", "expected 16384 to 67108864");
        else out.live.queue_bytes = static_cast<long long>(*bytes);
    }
    if (auto seconds = r.number(*live, "live", "stuck_seconds", false)) {
        if (*seconds < 1 || *seconds > 600) r.fail("live.stuck_seconds", "expected 1 to 600");
        else out.live.stuck_seconds = static_cast<long long>(*seconds);
    }
    if (auto rate = r.number(*live, "live", "messages_per_second", false)) {
        if (*rate < 0.1 || *rate > 1000) r.fail("live.messages_per_second", "expected 0.1 to 1000");
        else out.live.messages_per_second = *rate;
    }
}

void load_redis(json_reader& r, const json& node, config& out) {
    const json* redis = r.member(node, "", "redis", false);
    if (!redis || !r.object(*redis, "redis")) return;
    if (auto ms = r.number(*redis, "redis", "command_timeout_ms", false)) {
        if (*ms < 50 || *ms > 60000) r.fail("redis.command_timeout_ms", "expected 50 to 60000 milliseconds");
        else out.redis.command_timeout_ms = static_cast<long long>(*ms);
    }
    if (auto replicas = r.number(*redis, "redis", "wait_replicas", false)) {
        if (*replicas < 0 || *replicas > 16 || *replicas != static_cast<int>(*replicas))
            r.fail("redis.wait_replicas", "expected a whole number of replicas, 0 to 16");
        else out.redis.wait_replicas = static_cast<int>(*replicas);
    }
    if (auto ms = r.number(*redis, "redis", "wait_timeout_ms", false)) {
        if (*ms < 10 || *ms > 60000) r.fail("redis.wait_timeout_ms", "expected 10 to 60000 milliseconds");
        else out.redis.wait_timeout_ms = static_cast<long long>(*ms);
    }
    if (auto mode = r.string(*redis, "redis", "durability", false)) {
        if (*mode == "exact") out.redis.durability = durability_mode::exact;
        else if (*mode == "relaxed") out.redis.durability = durability_mode::relaxed;
        else r.fail("redis.durability", "expected \"exact\" or \"relaxed\"");
    }
    // A WAIT holds the connection: one that outlasts the command timeout would have the
    // connection dropped as stuck.
    if (out.redis.wait_replicas > 0 && out.redis.wait_timeout_ms * 2 > out.redis.command_timeout_ms)
        r.fail("redis.wait_timeout_ms", "expected at most half of redis.command_timeout_ms (" +
                                            std::to_string(out.redis.command_timeout_ms) + ")");
}

void load_judges(json_reader& r, const json& node, config& out) {
    const json* judges = r.array(node, "", "judges", false);
    if (!judges) return;
    static const std::regex id_pattern("[A-Za-z0-9_.-]{1,64}");
    for (std::size_t i = 0; i < judges->size(); ++i) {
        auto path = indexed_path("judges", i);
        const json& entry = (*judges)[i];
        if (!r.object(entry, path)) continue;
        judge j;
        auto id = r.string(entry, path, "id", true);
        if (id && !std::regex_match(*id, id_pattern)) r.fail(path + ".id", "expected letters, digits, '_', '.' or '-' (at most 64)");
        else if (id && *id == "admin") r.fail(path + ".id", "\"admin\" is the admin token's identity");
        auto env = r.string(entry, path, "token_env", true);
        if (env && !std::regex_match(*env, env_name_pattern))
            r.fail(path + ".token_env", "expected the name of an environment variable (the token itself never goes in this file)");
        j.id = id.value_or("");
        j.name = r.string(entry, path, "name", false).value_or(j.id);
        j.token_env = env.value_or("");
        for (const auto& other : out.judges)
            if (!j.id.empty() && other.id == j.id) r.fail(path + ".id", "\"" + j.id + "\" is listed twice");
        out.judges.push_back(std::move(j));
    }
}

}  // namespace

config_result load_config(const json& document, const std::string& base_dir) {
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
    load_server(r, document, result.value);
    load_judges(r, document, result.value);
    load_redis(r, document, result.value);
    load_community(r, document, result.value);
    result.value.branding_dir = load_branding_dir(r, document, base_dir);
    const json* contests = r.array(document, "", "contests", true);
    if (contests && contests->empty()) r.fail("contests", "must list at least one contest");
    if (contests)
        for (std::size_t i = 0; i < contests->size(); ++i) load_contest(r, (*contests)[i], indexed_path("contests", i), result.value, base_dir);
    load_seasons(r, document, result.value);  // after the contests it names
    for (auto& error : result.errors)
        if (error.path.starts_with(".")) error.path.erase(0, 1);
    return result;
}

config_result load_config_text(std::string_view text, const std::string& path) {
    auto parsed = parse_untrusted_json(text);
    if (!parsed.ok()) return {{}, {{path, "is not usable JSON: " + parsed.error}}};
    auto slash = path.rfind('/');
    return load_config(parsed.value, slash == std::string::npos ? "." : path.substr(0, slash));
}

config_result load_config_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return {{}, {{path, "cannot be read"}}};
    std::stringstream content;
    content << file.rdbuf();
    return load_config_text(content.str(), path);
}

bool is_plain_id(std::string_view text) {
    static const std::regex pattern("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    return std::regex_match(text.begin(), text.end(), pattern);
}

}  // namespace lb::engine
