#include "standings_render.hpp"

#include <algorithm>
#include <charconv>

#include "award.hpp"
#include "csv.hpp"
#include "json_text.hpp"
#include "untrusted_json.hpp"

namespace lb::engine {

nlohmann::json participant_teams(const contest& c, const participant& p) {
    nlohmann::json teams = nlohmann::json::object();
    for (const auto& team_id : p.current_teams())
        if (const team* t = c.find_team(team_id)) teams[to_string(t->kind)] = t->id;
    return teams;
}

nlohmann::json standings_row_to_json(const contest& c, const std::string& board, const standings_row& row) {
    nlohmann::json j{{"rank", row.rank}, {"id", row.id}, {"name", c.member_name(board, row.id, "en")},
                     {"points", points_json(row.points)}, {"reached_at", format_rfc3339(row.reached_at)}};
    if (c.is_team_board(board)) {
        if (const team* t = c.find_team(row.id)) {
            j["name_zh"] = t->name.zh;
            j["kind"] = to_string(t->kind);
        }
    } else if (const participant* p = c.find_participant(row.id)) {
        j["teams"] = participant_teams(c, *p);
    }
    return j;
}

namespace {

const team* team_of_kind(const contest& c, const participant& p, team_kind kind) {
    for (const auto& team_id : p.current_teams())
        if (const team* t = c.find_team(team_id); t && t->kind == kind) return t;
    return nullptr;
}

// One row exactly as standings_row_to_json renders it (keys in the same order), without
// building a JSON tree: a 100,000-row export spends its time here.
void append_row(std::string& out, const contest& c, const std::string& board, const standings_row& row) {
    out += "{\"id\":";
    append_json_string(out, row.id);
    bool team_board = c.is_team_board(board);
    const team* t = team_board ? c.find_team(row.id) : nullptr;
    const participant* p = team_board ? nullptr : c.find_participant(row.id);
    if (t) out += ",\"kind\":\"" + std::string(to_string(t->kind)) + "\"";
    out += ",\"name\":";
    append_json_string(out, c.member_name(board, row.id, "en"));
    if (t) {
        out += ",\"name_zh\":";
        append_json_string(out, t->name.zh);
    }
    out += ",\"points\":" + format_centi(row.points) + ",\"rank\":" + std::to_string(row.rank) +
           ",\"reached_at\":\"" + format_rfc3339(row.reached_at) + "\"";
    if (p) {
        out += ",\"teams\":{";
        bool first = true;
        for (auto kind : all_team_kinds)
            if (const team* member_of = team_of_kind(c, *p, kind)) {
                out += first ? "\"" : ",\"";
                out += std::string(to_string(kind)) + "\":";
                append_json_string(out, member_of->id);
                first = false;
            }
        out += "}";
    }
    out += "}";
}

}  // namespace

std::string standings_to_json(const contest& c, const standings_page& page) {
    std::string out = "{\"board\":";
    append_json_string(out, page.board);
    out += ",\"contest\":";
    append_json_string(out, c.id);
    out += std::string(",\"frozen\":") + (page.frozen ? "true" : "false") + ",\"generated_at\":\"" +
           format_rfc3339(page.generated_at) + "\",\"rows\":[";
    out.reserve(out.size() + page.rows.size() * 160);
    for (std::size_t i = 0; i < page.rows.size(); ++i) {
        if (i) out += ',';
        append_row(out, c, page.board, page.rows[i]);
    }
    out += "],\"total\":" + std::to_string(page.total) + "}";
    return out;
}

std::string standings_to_csv(const contest& c, const standings_page& page) {
    bool teams = c.is_team_board(page.board);
    std::string out = teams ? "rank,id,name,points,reached_at,kind\r\n" : "rank,id,name,points,reached_at,city,school,company\r\n";
    out.reserve(out.size() + page.rows.size() * 80);
    for (const auto& row : page.rows) {
        out += std::to_string(row.rank) + "," + csv_field(row.id) + "," + csv_field(c.member_name(page.board, row.id)) +
               "," + format_centi(row.points) + "," + format_rfc3339(row.reached_at);
        if (teams) {
            const team* t = c.find_team(row.id);
            out += std::string(",") + (t ? to_string(t->kind) : "");
        } else {
            const participant* p = c.find_participant(row.id);
            for (auto kind : all_team_kinds) {
                const team* t = p ? team_of_kind(c, *p, kind) : nullptr;
                out += "," + (t ? csv_field(t->id) : std::string());
            }
        }
        out += "\r\n";
    }
    return out;
}

bool valid_stream_id(std::string_view text) {
    auto digits = [](std::string_view part) {
        return !part.empty() && part.size() <= 20 && part.find_first_not_of("0123456789") == std::string_view::npos;
    };
    auto dash = text.find('-');
    if (dash == std::string_view::npos) return digits(text);
    return digits(text.substr(0, dash)) && digits(text.substr(dash + 1));
}

nlohmann::json event_to_json(const std::string& id, const std::string& record_json, const std::string& previous_points) {
    auto read = read_award_record(record_json);
    if (!read) return {{"id", id}, {"error", "unreadable record"}};
    const award& a = *read;
    centi previous = 0;
    std::from_chars(previous_points.data(), previous_points.data() + previous_points.size(), previous);
    nlohmann::json event{{"id", id}, {"subject", a.subject}, {"kind", a.kind}, {"component", a.component},
                         {"participant", a.participant.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.participant)},
                         {"points", points_json(a.points)}, {"delta", points_json(a.points - previous)},
                         {"at", format_rfc3339(a.at)}, {"reason", a.reason}, {"details", a.details}};
    if (!a.pending_login.empty()) event["unattributed_login"] = a.pending_login;
    return event;
}

}  // namespace lb::engine
