#include "seasons.hpp"

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

#include <simdjson.h>

#include "untrusted_json.hpp"

namespace lb::engine {

using nlohmann::json;

std::vector<membership> read_memberships(const json& person) {
    std::vector<membership> out;
    const json* list = array_at(person, "memberships");
    if (!list) return out;
    for (const auto& item : *list) {
        auto kind = string_at(item, "kind");
        auto chapter = string_at(item, "chapter");
        auto since = integer_at(item, "since");
        if (!kind || !chapter || chapter->empty() || !since) continue;
        membership m{*kind, *chapter, *since, integer_at(item, "until")};
        out.push_back(std::move(m));
    }
    std::stable_sort(out.begin(), out.end(), [](const membership& a, const membership& b) { return a.since < b.since; });
    return out;
}

namespace {

std::optional<std::int64_t> integer_in(simdjson::dom::object object, std::string_view key) {
    std::int64_t value = 0;
    if (object[key].get_int64().get(value)) return std::nullopt;
    return value;
}

bool read_person(std::string_view record, simdjson::dom::object& person) {
    thread_local simdjson::dom::parser parser;
    return !parser.parse(record.data(), record.size()).get_object().get(person);
}

}  // namespace

std::optional<unix_seconds> registered_at_of(std::string_view record) {
    simdjson::dom::object person;
    if (!read_person(record, person)) return std::nullopt;
    return integer_in(person, "registered_at");
}

std::optional<member_facts> read_member_facts(std::string_view record) {
    simdjson::dom::object person;
    if (!read_person(record, person)) return std::nullopt;
    member_facts out;
    out.registered_at = integer_in(person, "registered_at");
    simdjson::dom::array list;
    if (!person["memberships"].get_array().get(list))
        for (auto item : list) {
            simdjson::dom::object entry;
            std::string_view kind, chapter;
            if (item.get_object().get(entry) || entry["kind"].get_string().get(kind) || entry["chapter"].get_string().get(chapter) ||
                chapter.empty())
                continue;
            auto since = integer_in(entry, "since");
            if (!since) continue;
            out.memberships.push_back({std::string(kind), std::string(chapter), *since, integer_in(entry, "until")});
        }
    std::stable_sort(out.memberships.begin(), out.memberships.end(), [](const membership& a, const membership& b) { return a.since < b.since; });
    return out;
}

std::string chapter_at(const std::vector<membership>& memberships, std::string_view kind, unix_seconds at) {
    const membership* first = nullptr;
    for (const auto& m : memberships) {
        if (m.kind != kind) continue;
        if (!first) first = &m;
        if (m.since <= at && (!m.until || at < *m.until)) return m.chapter;
    }
    if (first && at < first->since) return first->chapter;
    // After the last one ended with no new one: the last one held.
    const membership* last = nullptr;
    for (const auto& m : memberships)
        if (m.kind == kind && m.since <= at) last = &m;
    return last ? last->chapter : "";
}

bool moved_within(const std::vector<membership>& memberships, std::string_view kind) {
    return std::count_if(memberships.begin(), memberships.end(), [&](const membership& m) { return m.kind == kind; }) > 1;
}

std::vector<season_row> rank_season(const std::map<std::string, season_total>& totals) {
    std::vector<season_row> rows;
    rows.reserve(totals.size());
    for (const auto& [id, total] : totals) rows.push_back({0, id, total.points, total.reached_at});
    std::sort(rows.begin(), rows.end(), [](const season_row& a, const season_row& b) {
        if (a.points != b.points) return a.points > b.points;
        if (a.reached_at != b.reached_at) return a.reached_at < b.reached_at;
        return a.id < b.id;
    });
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].rank = static_cast<long long>(i) + 1;
    return rows;
}

void load_seasons(json_reader& r, const json& document, config& out) {
    const json* list = r.array(document, "", "seasons", false);
    if (!list) return;
    static const std::regex id_pattern("[a-z0-9][a-z0-9-]{0,39}");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto path = "seasons[" + std::to_string(i) + "]";
        const json& node = (*list)[i];
        if (!r.object(node, path)) continue;
        season s;
        auto id = r.string(node, path, "id", true);
        if (id && !std::regex_match(*id, id_pattern)) r.fail(path + ".id", "expected a slug: a-z, 0-9 and '-', at most 40, not starting with '-'");
        else if (id && !ids.insert(*id).second) r.fail(path + ".id", "another season has the id \"" + *id + "\"");
        s.id = id.value_or("");
        if (auto title = r.text(node, path, "title")) s.title = *title;
        const json* contests = r.array(node, path, "contests", true);
        if (contests && (contests->empty() || contests->size() > 100)) r.fail(path + ".contests", "expected 1 to 100 contests");
        std::set<std::string> seen;
        for (std::size_t k = 0; contests && k < contests->size(); ++k) {
            auto where = path + ".contests[" + std::to_string(k) + "]";
            const json& item = (*contests)[k];
            if (!r.object(item, where)) continue;
            auto contest_id = r.string(item, where, "id", true);
            if (!contest_id) continue;
            if (!out.find_contest(*contest_id)) r.fail(where + ".id", "no contest has the id \"" + *contest_id + "\"");
            else if (!seen.insert(*contest_id).second) r.fail(where + ".id", "the season lists \"" + *contest_id + "\" twice");
            double weight = r.number(item, where, "weight", false).value_or(1.0);
            if (weight < 0.01 || weight > 100) r.fail(where + ".weight", "expected a number from 0.01 to 100");
            s.contests.push_back({*contest_id, weight});
        }
        out.seasons.push_back(std::move(s));
    }
}

bool season_board(std::string_view board, std::string& kind) {
    if (board == "people") {
        kind.clear();
        return true;
    }
    if (!board.starts_with("chapters:")) return false;
    auto rest = board.substr(9);
    if (!parse_team_kind(rest)) return false;
    kind = std::string(rest);
    return true;
}

}  // namespace lb::engine
