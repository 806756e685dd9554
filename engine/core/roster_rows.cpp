#include "roster_rows.hpp"

#include <regex>
#include <set>

#include "csv.hpp"
#include "json_reader.hpp"
#include "untrusted_json.hpp"

namespace lb::engine {
namespace {

using nlohmann::json;

const std::regex member_id_pattern("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
const std::regex login_pattern("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
const std::regex person_pattern("[A-Za-z]{1,8}-?[0-9]{1,18}");


}  // namespace

std::vector<team> read_team_rows(json_reader& r, const json& rows, const row_namer& name_row, const roster& current) {
    std::vector<team> out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto path = name_row(i, rows[i]);
        if (!r.object(rows[i], path)) continue;
        const auto& item = rows[i];
        auto id = r.string(item, path, "id", true);
        if (id && !std::regex_match(*id, member_id_pattern)) r.fail(path + ".id", "expected letters, digits, '_', '.' or '-' (at most 64)");
        else if (id && !seen.insert(*id).second) r.fail(path + ".id", "duplicate team id \"" + *id + "\"");
        auto kind_text = r.string(item, path, "kind", true);
        std::optional<team_kind> kind;
        if (kind_text) kind = parse_team_kind(*kind_text);
        if (kind_text && !kind) r.fail(path + ".kind", "expected \"city\", \"school\" or \"company\"");
        if (id && kind)
            if (const team* existing = current.find_team(*id); existing && existing->kind != *kind)
                r.fail(path + ".kind", std::string("team \"") + *id + "\" is a " + to_string(existing->kind) +
                                           " team; its kind cannot change (add a new team instead)");
        auto name = r.text(item, path, "name");
        if (name && (name->en.size() > 200 || name->zh.size() > 200)) r.fail(path + ".name", "at most 200 bytes");
        if (!id || !kind || !name) continue;
        out.push_back({*id, *name, *kind});
    }
    return out;
}

std::vector<std::string> participant_columns() {
    std::vector<std::string> out{"id", "name"};
    for (const auto& host : all_hosts()) out.emplace_back(host.id);
    out.insert(out.end(), {"person", "teams"});
    return out;
}

std::vector<participant> read_participant_rows(json_reader& r, const json& rows, const row_namer& name_row,
                                               const roster& current, const std::vector<team>& new_teams) {
    std::vector<participant> out;
    std::set<std::string> logins, seen;
    auto find_team = [&](const std::string& id) -> const team* {
        for (const auto& t : new_teams)
            if (t.id == id) return &t;
        return current.find_team(id);
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto path = name_row(i, rows[i]);
        if (!r.object(rows[i], path)) continue;
        const auto& item = rows[i];
        participant p;
        auto id = r.string(item, path, "id", true);
        if (id && !std::regex_match(*id, member_id_pattern)) r.fail(path + ".id", "expected letters, digits, '_', '.' or '-' (at most 64)");
        else if (id && !seen.insert(*id).second) r.fail(path + ".id", "duplicate participant id \"" + *id + "\"");
        auto name = r.string(item, path, "name", true);
        if (name && (name->empty() || name->size() > 200)) r.fail(path + ".name", "expected 1 to 200 bytes");
        // A login per host: "github": "…" beside the id, or inside "logins": {"gitcode": "…"}.
        const json* nested = r.member(item, path, "logins", false);
        if (nested && !r.object(*nested, path + ".logins")) nested = nullptr;
        for (const auto& host : all_hosts()) {
            std::string key(host.id);
            auto field = path + "." + key;
            auto login = r.string(item, path, key.c_str(), false);
            if (nested && nested->contains(key)) {
                if (login) r.fail(path + ".logins." + key, "the " + key + " login is given twice");
                login = r.string(*nested, path + ".logins", key.c_str(), false);
                field = path + ".logins." + key;
            }
            if (!login || login->empty()) continue;
            if (!std::regex_match(*login, login_pattern)) {
                r.fail(field, "expected a login of letters, digits, '_', '.' or '-'");
                continue;
            }
            const participant* holder = current.find_by_login(host.id, *login);
            if (!logins.insert(login_key(host.id, *login)).second || (holder && (!id || holder->id != *id)))
                r.fail(field, "login \"" + *login + "\" belongs to another participant");
            p.logins.emplace(key, *login);
        }
        if (nested)
            for (const auto& [key, value] : nested->items())
                if (!find_host(key)) r.fail(path + ".logins." + key, "not a code host (" + host_list() + ")");
        auto person = r.string(item, path, "person", false);
        if (person && !person->empty() && !std::regex_match(*person, person_pattern))
            r.fail(path + ".person", "expected a community id such as MSG-000123");
        std::set<team_kind> kinds;
        auto team_ids = r.strings(item, path, "teams");
        for (std::size_t t = 0; t < team_ids.size(); ++t) {
            const team* found = find_team(team_ids[t]);
            if (!found) r.fail(indexed_path(path + ".teams", t), "unknown team \"" + team_ids[t] + "\"");
            else if (!kinds.insert(found->kind).second)
                r.fail(indexed_path(path + ".teams", t), std::string("a participant has at most one team of kind ") + to_string(found->kind));
        }
        if (!id || !name || name->empty()) continue;
        p.id = *id;
        p.name = *name;
        p.teams = team_ids;
        if (person) p.person = *person;
        out.push_back(std::move(p));
    }
    return out;
}

void localize_csv_names(json& rows) {
    for (auto& row : rows)
        if (row.contains("name_zh")) {  // every CSV cell is a string
            row["name"] = json{{"en", row.value("name", row["name_zh"].get<std::string>())}, {"zh", row["name_zh"]}};
            row.erase("name_zh");
        }
}

roster merge_roster(const roster& current, const std::vector<team>& teams, const std::vector<participant>& participants) {
    std::vector<team> all_teams = current.teams();
    for (const auto& t : teams) {
        auto it = std::find_if(all_teams.begin(), all_teams.end(), [&](const team& x) { return x.id == t.id; });
        if (it == all_teams.end()) all_teams.push_back(t);
        else *it = t;
    }
    std::vector<participant> all = current.participants();
    for (const auto& p : participants) {
        auto it = std::find_if(all.begin(), all.end(), [&](const participant& x) { return x.id == p.id; });
        if (it == all.end()) all.push_back(p);
        else *it = p;
    }
    return roster(std::move(all_teams), std::move(all));
}

namespace {

// A JSON array body, or a CSV body turned into the same objects.
std::optional<json> rows_of(std::string_view content_type, std::string_view body, const std::vector<std::string>& columns,
                            const std::vector<std::string>& list_columns, std::vector<std::string>& errors) {
    if (content_type.starts_with("text/csv")) {
        auto table = parse_csv(body);
        if (!table.error.empty()) {
            errors.push_back(table.error);
            return std::nullopt;
        }
        auto converted = csv_to_rows(table, columns, list_columns);
        if (!converted.errors.empty()) {
            errors = converted.errors;
            return std::nullopt;
        }
        localize_csv_names(converted.rows);
        return converted.rows;
    }
    auto parsed = parse_untrusted_json(body);
    if (!parsed.ok()) {
        errors.push_back("(body): " + parsed.error);
        return std::nullopt;
    }
    if (!parsed.value.is_array()) {
        errors.push_back("(body): expected a JSON array of rows, or text/csv with a header row");
        return std::nullopt;
    }
    // "_line" marks where a CSV row came from; in a JSON upload it means nothing (the fuzzer
    // sent one holding an array, and naming the row read it as a number).
    for (auto& row : parsed.value)
        if (row.is_object()) row.erase("_line");
    return std::move(parsed.value);
}

std::string name_row(std::size_t index, const json& row) {
    if (auto line = integer_at(row, "_line")) return "line " + std::to_string(*line);
    return "[" + std::to_string(index) + "]";
}

roster_import finish(roster_import out, const std::vector<config_error>& errors) {
    for (const auto& e : errors) out.errors.push_back(e.to_string());
    if (!out.errors.empty()) {
        out.teams.clear();
        out.participants.clear();
    } else if (out.teams.empty() && out.participants.empty()) {
        out.errors.push_back("(body): no rows");
    }
    return out;
}

}  // namespace

roster_import parse_team_import(const roster& current, std::string_view content_type, std::string_view body) {
    roster_import out;
    auto rows = rows_of(content_type, body, {"id", "name", "name_zh", "kind"}, {}, out.errors);
    if (!rows) return out;
    std::vector<config_error> errors;
    json_reader r(errors);
    out.teams = read_team_rows(r, *rows, name_row, current);
    return finish(std::move(out), errors);
}

roster_import parse_participant_import(const roster& current, std::string_view content_type, std::string_view body) {
    roster_import out;
    auto rows = rows_of(content_type, body, participant_columns(), {"teams"}, out.errors);
    if (!rows) return out;
    std::vector<config_error> errors;
    json_reader r(errors);
    out.participants = read_participant_rows(r, *rows, name_row, current);
    for (auto& p : out.participants)  // an import does not reinstate anyone
        if (const participant* before = current.find_participant(p.id)) p.disqualified = before->disqualified;
    return finish(std::move(out), errors);
}

json team_to_json(const team& t) {
    return {{"id", t.id}, {"name", {{"en", t.name.en}, {"zh", t.name.zh}}}, {"kind", to_string(t.kind)}};
}

json participant_to_json(const participant& p) {
    json j{{"id", p.id}, {"name", p.name}, {"teams", p.teams}};
    for (const auto& [host, login] : p.logins) j[host] = login;
    if (!p.person.empty()) j["person"] = p.person;
    if (p.disqualified) j["disqualified"] = true;
    return j;
}

}  // namespace lb::engine
