#include "award.hpp"

#include "json_text.hpp"

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

std::vector<contribution> contributions_for(const contest& c, const participant& p, std::string_view component,
                                            centi points) {
    std::vector<contribution> out;
    if (points == 0 || p.disqualified) return out;
    centi total_part = weighted(points, component_weight(c, component));
    out.push_back({"participants", p.id, total_part});
    std::string component_board = "component:" + std::string(component);
    if (c.has_board(component_board)) out.push_back({component_board, p.id, points});
    for (const auto& team_id : p.teams) {
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
        out.contributions = contributions_for(c, *author, "pull_requests", out.points);
    } else {
        out.pending_login = pr.host + ":" + to_lower_ascii(pr.author);
    }
    return out;
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
    if (stored.kind == "pull_request") return make_pull_request_award(c, facts_from_json(stored.details));
    award a = stored;
    a.contributions.clear();
    if (const participant* p = c.find_participant(a.participant)) a.contributions = contributions_for(c, *p, a.component, a.points);
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

pull_request_facts facts_from_json(const nlohmann::json& j) {
    pull_request_facts pr;
    pr.host = j.value("host", "");
    pr.repo = j.value("repo", "");
    pr.number = j.value("number", 0LL);
    pr.url = j.value("url", "");
    pr.title = j.value("title", "");
    pr.author = j.value("author", "");
    pr.labels = j.value("labels", std::vector<std::string>{});
    pr.merged = j.value("merged", false);
    pr.updated_at = j.value("updated_at", 0LL);
    if (j.contains("merged_at") && j["merged_at"].is_number_integer()) pr.merged_at = j["merged_at"].get<unix_seconds>();
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

award award::from_json(const nlohmann::json& j) {
    award a;
    a.subject = j.value("subject", "");
    a.kind = j.value("kind", "");
    a.component = j.value("component", "");
    a.participant = j.value("participant", "");
    a.pending_login = j.value("pending", "");
    a.points = j.value("points", centi{0});
    a.at = j.value("at", unix_seconds{0});
    a.version = j.value("version", std::int64_t{0});
    a.reason = j.value("reason", "");
    a.details = j.value("details", nlohmann::json::object());
    if (j.contains("contrib") && j["contrib"].is_array())
        for (const auto& c : j["contrib"])
            if (c.is_array() && c.size() == 3) a.contributions.push_back({c[0].get<std::string>(), c[1].get<std::string>(), c[2].get<centi>()});
    return a;
}

}  // namespace lb::engine
