// Contest descriptions and static files: answers that need no Redis.
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "api/api_router.hpp"
#include "api/handlers.hpp"
#include "rfc3339.hpp"
#include "api/phone_link.hpp"
#include "award.hpp"
#include "untrusted_json.hpp"
#include "clock.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

json text_json(const engine::localized_text& text) { return {{"en", text.en}, {"zh", text.zh}}; }

// Colour and logo URL, each null when not configured.
json brand_json(const engine::brand& b) {
    return {{"color", b.color.empty() ? json(nullptr) : json(b.color)},
            {"logo", b.logo.empty() ? json(nullptr) : json("/branding/" + b.logo)}};
}

json contest_summary(const engine::contest& c) {
    json j{{"id", c.id}, {"title", text_json(c.title)}, {"starts_at", engine::format_rfc3339(c.starts_at)},
           {"ends_at", engine::format_rfc3339(c.ends_at)}, {"repos", c.repos}, {"boards", c.boards()}};
    j["freeze_at"] = c.freeze_at ? json(engine::format_rfc3339(*c.freeze_at)) : json(nullptr);
    j["frozen"] = c.public_frozen(engine::now_seconds());
    j["branding"] = brand_json(c.branding);
    j["screen"] = {{"race", c.screen.race}, {"rotate_seconds", c.screen.rotate_seconds}};
    j["final"] = c.is_final();
    j["placings"] = json::array();
    for (const auto& p : c.placings) j["placings"].push_back({{"from", p.from}, {"to", p.to}, {"title", text_json(p.title)}});
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
    for (const auto& comp : c.components) {
        json item{{"id", comp.id}, {"name", text_json(comp.name)}, {"weight", comp.weight}, {"max", engine::points_json(comp.max)},
                  {"kind", comp.vote ? "votes" : "judged"}};
        if (comp.vote)
            item["vote"] = {{"opens_at", engine::format_rfc3339(comp.vote->opens_at)}, {"closes_at", engine::format_rfc3339(comp.vote->closes_at)}};
        components.push_back(std::move(item));
    }
    if (!components.empty()) rules["components"] = components;
    return rules;
}

}  // namespace

std::string contests_json(const engine::config& config) {
    json list = json::array();
    for (const auto& c : config.contests) list.push_back(contest_summary(c));
    return engine::to_text({{"contests", list}});
}

std::string contest_json(const engine::contest& c, bool with_participants) {
    json j = contest_summary(c);
    std::map<std::string, long long> members;
    for (const auto& p : c.members().participants())
        if (!p.disqualified)
            for (const auto& team : p.teams) ++members[team];
    json teams = json::array();
    for (const auto& t : c.members().teams()) {
        auto it = c.team_branding.find(t.id);
        teams.push_back({{"id", t.id}, {"name", text_json(t.name)}, {"kind", engine::to_string(t.kind)}, {"members", members[t.id]},
                         {"branding", brand_json(it == c.team_branding.end() ? engine::brand{} : it->second)}});
    }
    j["teams"] = teams;
    if (with_participants) {
        json participants = json::array();
        for (const auto& p : c.members().participants()) {
            participants.push_back({{"id", p.id}, {"name", p.name}, {"teams", p.teams}});
            if (p.disqualified) participants.back()["disqualified"] = true;
        }
        j["participants"] = participants;
    }
    j["rules"] = rules_json(c);
    return engine::to_text(j);
}

api_response static_file(const std::string& dir, const std::string& requested) {
    static const std::regex plain_name("[A-Za-z0-9_-][A-Za-z0-9_.-]*");
    std::string name = requested.empty() ? "index.html" : requested;
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
    // The page loads nothing from elsewhere and runs no inline script: the policy says so,
    // so an injected name could not run even if it were ever rendered as HTML.
    return {200, type, content.str(),
            {{"Cache-Control", "no-cache"}, {"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"},
             {"Content-Security-Policy",
              "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
              "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"}}};
}

void healthz(route_call&, respond_fn respond) { respond(json_ok({{"status", "ok"}})); }

void readyz(route_call& call, respond_fn respond) {
    bool ready = call.app.redis_ready();
    auto persistence = call.app.redis.persistence();
    auto mode = call.app.config().redis.durability;
    auto survives = engine::what_survives(persistence, mode);
    nlohmann::json durability{
        {"redis", {{"appendonly", !persistence.known ? "unknown" : persistence.aof ? "yes" : "no"},
                   {"appendfsync", engine::fsync_name(persistence.fsync)}}},
        {"mode", mode == engine::durability_mode::exact ? "exact" : "relaxed"},
        {"acknowledged", engine::acknowledgement_name(survives.how)},
        {"survives", {{"server_crash", survives.server_crash}, {"redis_crash", survives.redis_crash}, {"power_loss", survives.power_loss}}},
        {"summary", survives.summary}};
    respond(json_ok({{"status", ready ? "ready" : "waiting"}, {"redis", ready ? "up" : "down"}, {"durability", durability}},
                    ready ? 200 : 503));
}

void metrics_text(route_call& call, respond_fn respond) {
    auto survives = engine::what_survives(call.app.redis.persistence(), call.app.config().redis.durability);
    respond({200, "text/plain; version=0.0.4", call.app.counters.render(call.app.redis_ready(), survives), {}});
}

void list_contests(route_call& call, respond_fn respond) { respond({200, "application/json", contests_json(call.app.config()), {}}); }

void show_contest(route_call& call, respond_fn respond) {
    // Phones and screens ask without the participants: a large roster is found through /find instead.
    auto roster = call.query("participants", "1");
    if (roster != "0" && roster != "1") return respond(json_error(400, "bad_query", "participants: expected 0 or 1"));
    respond({200, "application/json", contest_json(call.c(), roster == "1"), {}});
}

void serve_static(route_call& call, respond_fn respond) { respond(static_file(call.app.static_dir, call.param("file"))); }

void phone_qr(route_call& call, respond_fn respond) {
    auto origin = checked_origin(call.query("origin"));
    if (!origin) return respond(json_error(400, "bad_query", "origin: expected the page's origin, such as http://hall.example.org:8080"));
    auto svg = qr_svg(phone_link(*origin, call.c().id));
    if (!svg) return respond(json_error(400, "bad_query", "origin: too long for a QR code"));
    respond({200, "image/svg+xml", std::move(*svg), {{"Cache-Control", "max-age=300"}, {"X-Content-Type-Options", "nosniff"}}});
}

void serve_console(route_call& call, respond_fn respond) { respond(static_file(call.app.static_dir, "admin.html")); }

void serve_profile_page(route_call& call, respond_fn respond) { respond(static_file(call.app.static_dir, "join.html")); }

void serve_season_page(route_call& call, respond_fn respond) { respond(static_file(call.app.static_dir, "season.html")); }

void serve_certificate_page(route_call& call, respond_fn respond) { respond(static_file(call.app.static_dir, "certificate.html")); }

void live_stream(route_call&, respond_fn respond) {
    auto answer = json_error(426, "upgrade_required", "the live stream is a WebSocket: connect with Upgrade: websocket");
    answer.headers.emplace_back("Upgrade", "websocket");
    respond(std::move(answer));
}

}  // namespace lb::gateway
