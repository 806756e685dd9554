#include "award.hpp"

#include <algorithm>
#include <limits>

#include "json_text.hpp"
#include "untrusted_json.hpp"

namespace lb::engine {
namespace {

double component_weight(const contest& c, std::string_view component) {
    if (component == "pull_requests") return c.pull_requests.weight;
    if (component == "reproductions") return c.reproduction_weight;
    for (const auto& rule : c.components)
        if (rule.id == component) return rule.weight;
    return 1.0;
}

}  // namespace

std::vector<std::string> teams_at(const contest& c, const participant& p, unix_seconds at) {
    return c.members().teams_at(p, at);
}

std::vector<contribution> contributions_for(const contest& c, const participant& p, std::string_view component,
                                            centi points, unix_seconds at) {
    std::vector<contribution> out;
    if (points == 0 || p.disqualified) return out;
    centi total_part = weighted(points, component_weight(c, component));
    out.push_back({"participants", p.id, total_part});
    std::string component_board = "component:" + std::string(component);
    if (c.has_board(component_board)) out.push_back({component_board, p.id, points});
    std::vector<std::string> moved_teams;  // only for members who moved chapters: others take the roster's as they are
    if (!p.moves.empty()) moved_teams = teams_at(c, p, at);
    for (const auto& team_id : p.moves.empty() ? p.teams : moved_teams) {
        const team* t = c.find_team(team_id);
        if (!t) continue;
        out.push_back({"teams", t->id, total_part});
        out.push_back({std::string("teams:") + to_string(t->kind), t->id, total_part});
    }
    return out;
}

pull_request_placement place_pull_request(const contest& c, const pull_request_facts& pr) {
    pull_request_placement out;
    auto score = score_pull_request(c, pr);
    out.points = score.points;
    out.reason = std::move(score.reason);
    out.at = pr.merged_at.value_or(pr.updated_at);
    if (const participant* author = c.find_by_login(pr.host, pr.author)) {
        out.participant = author->id;
        out.contributions = contributions_for(c, *author, "pull_requests", out.points, out.at);
    } else {
        out.pending_login = pr.host + ":" + to_lower_ascii(pr.author);
    }
    return out;
}

unix_seconds awarded_at(const contest& c, unix_seconds now) { return std::clamp(now, c.starts_at, c.ends_at); }

award make_component_award(const contest& c, const participant& p, std::string_view component, centi points,
                           unix_seconds at, std::int64_t version, std::string reason, std::string judge) {
    award a;
    a.subject = "component:" + std::string(component) + ":" + p.id;
    a.kind = "component";
    a.component = std::string(component);
    a.participant = p.id;
    a.points = points;
    a.at = at;
    a.version = version;
    a.reason = reason.empty() ? "judged " + std::string(component) : std::move(reason);
    a.details = {{"judge", std::move(judge)}};
    a.contributions = contributions_for(c, p, component, points, at);
    return a;
}

award make_adjustment_award(const contest& c, const participant& p, std::string_view id, centi points, unix_seconds at,
                            std::string reason, std::string actor) {
    award a;
    a.subject = "adjustment:" + std::string(id);
    a.kind = "adjustment";
    a.component = "adjustments";
    a.participant = p.id;
    a.points = points;
    a.at = at;
    a.reason = std::move(reason);
    a.details = {{"actor", std::move(actor)}};
    a.contributions = contributions_for(c, p, a.component, points, at);
    return a;
}

award make_pull_request_award(const contest& c, const pull_request_facts& pr) {
    auto placed = place_pull_request(c, pr);
    award a;
    a.subject = pr.subject();
    a.kind = "pull_request";
    a.component = "pull_requests";
    a.points = placed.points;
    a.reason = std::move(placed.reason);
    a.at = placed.at;
    a.version = pr.updated_at;
    a.details = facts_to_json(pr);
    a.participant = std::move(placed.participant);
    a.pending_login = std::move(placed.pending_login);
    a.contributions = std::move(placed.contributions);
    return a;
}

award rederive_award(const contest& c, const award& stored) {
    if (stored.kind == "pull_request")
        if (auto facts = facts_from_json(stored.details)) return make_pull_request_award(c, *facts);
    award a = stored;
    a.contributions.clear();
    if (const participant* p = c.find_participant(a.participant)) a.contributions = contributions_for(c, *p, a.component, a.points, a.at);
    return a;
}

nlohmann::json points_json(centi value) {
    if (value % 100 == 0) return value / 100;
    return centi_to_double(value);
}

nlohmann::json facts_to_json(const pull_request_facts& pr) {
    nlohmann::json j{{"host", pr.host}, {"repo", pr.repo}, {"number", pr.number}, {"url", pr.url},
                     {"title", pr.title}, {"author", pr.author}, {"labels", pr.labels}, {"merged", pr.merged},
                     {"updated_at", pr.updated_at}};
    j["merged_at"] = pr.merged_at ? nlohmann::json(*pr.merged_at) : nlohmann::json(nullptr);
    return j;
}

std::optional<pull_request_facts> facts_from_json(const nlohmann::json& j) {
    pull_request_facts pr;
    auto host = string_at(j, "host");
    auto repo = string_at(j, "repo");
    auto number = integer_at(j, "number");
    auto author = string_at(j, "author");
    auto labels = strings_at(j, "labels");
    auto merged = bool_at(j, "merged");
    auto updated_at = integer_at(j, "updated_at");
    if (!host || !repo || !number || !author || !labels || !merged || !updated_at) return std::nullopt;
    if (!find_host(*host)) return std::nullopt;
    pr.host = std::move(*host);
    pr.repo = std::move(*repo);
    pr.number = *number;
    pr.url = string_at(j, "url").value_or("");
    pr.title = string_at(j, "title").value_or("");
    pr.author = std::move(*author);
    pr.labels = std::move(*labels);
    pr.merged = *merged;
    pr.updated_at = *updated_at;
    if (auto merged_at = integer_at(j, "merged_at")) pr.merged_at = *merged_at;
    else if (j.contains("merged_at") && !j["merged_at"].is_null()) return std::nullopt;
    return pr;
}

nlohmann::json award::to_json() const {
    nlohmann::json contrib = nlohmann::json::array();
    for (const auto& c : contributions) contrib.push_back({c.board, c.member, c.value});
    nlohmann::json j{{"subject", subject}, {"kind", kind}, {"component", component}, {"participant", participant},
                     {"points", points}, {"at", at}, {"version", version}, {"reason", reason},
                     {"details", details}, {"contrib", contrib}};
    if (!pending_login.empty()) j["pending"] = pending_login;
    return j;
}

std::string award::to_json_text() const {
    // Keys in to_json()'s order: nlohmann's objects are sorted maps.
    std::string out;
    out.reserve(256 + subject.size() + reason.size() + 64 * contributions.size());
    out += "{\"at\":";
    out += std::to_string(at);
    out += ",\"component\":";
    append_json_string(out, component);
    out += ",\"contrib\":[";
    for (std::size_t i = 0; i < contributions.size(); ++i) {
        out += i ? ",[" : "[";
        append_json_string(out, contributions[i].board);
        out += ',';
        append_json_string(out, contributions[i].member);
        out += ',';
        out += std::to_string(contributions[i].value);
        out += ']';
    }
    out += "],\"details\":";
    out += details.dump();
    out += ",\"kind\":";
    append_json_string(out, kind);
    out += ",\"participant\":";
    append_json_string(out, participant);
    if (!pending_login.empty()) {
        out += ",\"pending\":";
        append_json_string(out, pending_login);
    }
    out += ",\"points\":";
    out += std::to_string(points);
    out += ",\"reason\":";
    append_json_string(out, reason);
    out += ",\"subject\":";
    append_json_string(out, subject);
    out += ",\"version\":";
    out += std::to_string(version);
    out += '}';
    return out;
}

std::optional<award> award::from_json(const nlohmann::json& j) {
    award a;
    auto subject = string_at(j, "subject");
    auto kind = string_at(j, "kind");
    auto points = integer_at(j, "points");
    auto at = integer_at(j, "at");
    if (!subject || !kind || !points || !at) return std::nullopt;
    a.subject = std::move(*subject);
    a.kind = std::move(*kind);
    a.component = string_at(j, "component").value_or("");
    a.participant = string_at(j, "participant").value_or("");
    a.pending_login = string_at(j, "pending").value_or("");
    a.points = *points;
    a.at = *at;
    a.version = integer_at(j, "version").value_or(0);
    a.reason = string_at(j, "reason").value_or("");
    if (const auto* details = object_at(j, "details")) a.details = *details;
    if (a.kind == "pull_request" && !facts_from_json(a.details)) return std::nullopt;
    if (const auto* contrib = array_at(j, "contrib"))
        for (const auto& c : *contrib) {
            if (!c.is_array() || c.size() != 3 || !c[0].is_string() || !c[1].is_string() || !c[2].is_number_integer())
                return std::nullopt;
            a.contributions.push_back({c[0].get<std::string>(), c[1].get<std::string>(), c[2].get<centi>()});
        }
    return a;
}

std::optional<award> read_award_record(std::string_view text) {
    auto parsed = parse_untrusted_json(text);
    if (!parsed.ok()) return std::nullopt;
    return award::from_json(parsed.value);
}

}  // namespace lb::engine
