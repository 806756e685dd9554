#include "season_operations.hpp"

#include <algorithm>
#include <unordered_set>

namespace lb::engine {

using nlohmann::json;

namespace {

constexpr long long season_days_charted = 1100;  // three years of contests charted day by day; later days are left off the chart

std::string person_key(const season_entry& e, const std::vector<std::string>& logins) {
    if (!e.member.empty()) return e.member;
    if (!logins.empty()) return *std::min_element(logins.begin(), logins.end());
    return "participant:" + e.p->id;
}

}  // namespace

std::vector<season_person> season_people(const std::vector<season_entry>& entries, member_facts_by_id members) {
    std::vector<season_person> people;
    people.reserve(entries.size());
    std::unordered_map<std::string, std::size_t> index;  // key -> person
    index.reserve(entries.size());
    for (const auto& e : entries) {
        if (!e.c || !e.p || e.p->disqualified) continue;
        auto logins = login_keys(*e.p);
        auto key = person_key(e, logins);
        auto [at, added] = index.emplace(key, people.size());
        if (added) {
            season_person person;
            person.key = key;
            person.member = !e.member.empty();
            if (auto facts = members.find(e.member); person.member && facts != members.end()) {
                person.memberships = std::move(facts->second.memberships);  // a member's key is their id: once
                person.registered_at = facts->second.registered_at;
            }
            people.push_back(std::move(person));
        }
        auto& person = people[at->second];
        for (auto& login : logins)
            if (std::find(person.logins.begin(), person.logins.end(), login) == person.logins.end()) person.logins.push_back(std::move(login));
        person.other_award = person.other_award || e.other_award;
    }
    return people;
}

std::vector<std::pair<unix_seconds, unix_seconds>> covered_spans(const std::vector<const contest*>& contests) {
    std::vector<std::pair<unix_seconds, unix_seconds>> windows, spans;
    for (const contest* c : contests) windows.push_back({c->starts_at, c->ends_at});
    std::sort(windows.begin(), windows.end());
    for (const auto& w : windows) {
        if (!spans.empty() && w.first <= spans.back().second) spans.back().second = std::max(spans.back().second, w.second);
        else spans.push_back(w);
    }
    return spans;
}

std::vector<std::string> season_logins_to_read(const std::vector<season_person>& people, const merge_counts& counts) {
    std::unordered_set<std::string_view> logins;
    logins.reserve(people.size() + counts.unregistered_authors.size());
    for (const auto& person : people) logins.insert(person.logins.begin(), person.logins.end());
    logins.insert(counts.unregistered_authors.begin(), counts.unregistered_authors.end());
    return {logins.begin(), logins.end()};
}

merge_counts count_season_merges(const season_operations_input& in) {
    report_frame frame{in.starts_at, in.ends_at, in.now, days_to_chart(in.starts_at, in.ends_at, in.now, season_days_charted)};
    const std::string kind = to_string(in.kind);
    const unix_seconds standing_at = std::max(in.starts_at, std::min(in.now, in.ends_at - 1));  // whose chapter a person counts with

    merge_counts counts;
    auto& rows = counts.rows;
    std::map<std::string, std::size_t> chapter_of_name;  // the community's chapters, by name
    for (const auto& person : in.people)
        for (const auto& m : person.memberships)
            if (m.kind == kind) chapter_of_name.emplace(m.chapter, 0);
    for (auto& [name, row] : chapter_of_name) {
        row = rows.size();
        // A chapter someone named "none" (or "chapter:…") keeps an id apart from the rows below.
        bool taken = name == "none" || name == "not_member" || name == "unregistered" || name == "total" || name.starts_with("chapter:");
        rows.push_back({taken ? "chapter:" + name : name, {name, name}});
    }
    const std::size_t none_row = rows.size();
    rows.push_back({"none", {"No chapter", "无分会"}});
    const std::size_t not_member_row = rows.size();
    rows.push_back({"not_member", {"Not a member", "非社区成员"}});
    counts.unregistered_row = rows.size();
    rows.push_back({"unregistered", {"Not registered", "未报名"}});
    for (auto& r : rows) r.daily.assign(static_cast<std::size_t>(frame.days_shown), 0);

    auto row_at = [&](const season_person& person, unix_seconds at) {
        if (!person.member) return not_member_row;
        auto name = chapter_at(person.memberships, kind, at);
        return name.empty() ? none_row : chapter_of_name.at(name);
    };
    // Most people never move: their row is the same at every merge (a year holds a million).
    std::vector<char> moved(in.people.size(), 0);
    std::unordered_map<std::string_view, std::size_t> person_of_login;
    person_of_login.reserve(in.people.size() * 2);
    counts.row_of.resize(in.people.size());
    for (std::size_t i = 0; i < in.people.size(); ++i) {
        const auto& person = in.people[i];
        counts.row_of[i] = row_at(person, standing_at);
        moved[i] = person.member && moved_within(person.memberships, kind);
        for (const auto& login : person.logins) person_of_login.emplace(login, i);
    }

    counts.merged.assign(in.people.size(), 0);
    for (const auto& m : in.merges) {
        if (m.at < in.starts_at || m.at >= in.ends_at) continue;
        auto found = person_of_login.find(m.login);
        std::size_t row = found == person_of_login.end() ? counts.unregistered_row
                          : moved[found->second]        ? row_at(in.people[found->second], m.at)
                                                        : counts.row_of[found->second];
        ++counts.merges_total;
        ++rows[row].merges;
        if (auto index = day_index(frame, m.at); index >= 0) ++rows[row].daily[static_cast<std::size_t>(index)];
        if (found != person_of_login.end()) counts.merged[found->second] = 1;
        else counts.unregistered_authors.insert(m.login);
    }
    return counts;
}

json season_operations(const season_operations_input& in) { return season_operations(in, count_season_merges(in)); }

json season_operations(const season_operations_input& in, merge_counts counts) {
    report_frame frame{in.starts_at, in.ends_at, in.now, days_to_chart(in.starts_at, in.ends_at, in.now, season_days_charted)};
    auto& rows = counts.rows;

    first_merge_waits waits;
    for (std::size_t i = 0; i < in.people.size() && i < counts.row_of.size(); ++i) {
        const auto& person = in.people[i];
        auto& row = rows[counts.row_of[i]];
        if (counts.merged[i] || person.other_award) ++row.active;
        auto h = history_of(person.logins, in.histories);
        count_participant(row, counts.merged[i], h, in.starts_at, in.ends_at);
        if (person.member && person.registered_at) count_wait(waits, h, *person.registered_at);
    }
    count_unregistered(rows[counts.unregistered_row], counts.unregistered_authors, in.histories, in.starts_at, in.ends_at);

    auto report = operations_report(rows, counts.merges_total, std::move(waits), in.kind, frame);
    report["season"] = in.season;
    return report;
}

}  // namespace lb::engine
