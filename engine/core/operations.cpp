#include "operations.hpp"

#include <algorithm>
#include <unordered_set>


namespace lb::engine {

using nlohmann::json;

namespace {

constexpr long long contest_days_charted = 400;  // the longest contest the tie encoding holds

// Who a login key ("github:alice") is in the contest, if anyone.
const participant* participant_of(const contest& c, std::string_view login) {
    auto colon = login.find(':');
    if (colon == std::string_view::npos) return nullptr;
    return c.find_by_login(login.substr(0, colon), login.substr(colon + 1));
}

}  // namespace

bool pull_request_repo(const std::string& subject, std::string& host, std::string& repo) {
    auto colon = subject.find(':');
    auto hash = subject.rfind('#');
    if (colon == std::string::npos || hash == std::string::npos || hash < colon) return false;
    host = subject.substr(0, colon);
    repo = subject.substr(colon + 1, hash - colon - 1);
    return find_host(host) != nullptr;
}

std::vector<std::string> logins_to_read(const contest& c, const merge_counts& counts) {
    std::unordered_set<std::string> logins;
    logins.reserve(c.members().participants().size() + counts.unregistered_authors.size());
    for (const auto& p : c.members().participants())
        for (auto& key : login_keys(p)) logins.insert(std::move(key));
    for (auto login : counts.unregistered_authors) logins.emplace(login);
    return {std::make_move_iterator(logins.begin()), std::make_move_iterator(logins.end())};
}

merge_counts count_contest_merges(const operations_input& in) {
    const contest& c = *in.c;
    const auto& roster = c.members();
    const auto& people = roster.participants();
    report_frame frame{c.starts_at, c.ends_at, in.now, days_to_chart(c.starts_at, c.ends_at, in.now, contest_days_charted)};

    merge_counts counts;
    auto& rows = counts.rows;
    std::map<std::string, std::size_t> row_of_team;
    for (const auto& t : roster.teams())
        if (t.kind == in.kind) {
            row_of_team[t.id] = rows.size();
            rows.push_back({t.id, t.name});
        }
    const std::size_t none_row = rows.size();
    rows.push_back({"none", {"No chapter", "无分会"}});
    counts.unregistered_row = rows.size();
    rows.push_back({"unregistered", {"Not registered", "未报名"}});
    for (auto& r : rows) r.daily.assign(static_cast<std::size_t>(frame.days_shown), 0);
    // A participant counts in their first team of the kind.
    counts.row_of.assign(people.size(), none_row);
    for (std::size_t i = 0; i < people.size(); ++i)
        for (const auto& team : people[i].teams)
            if (auto it = row_of_team.find(team); it != row_of_team.end()) {
                counts.row_of[i] = it->second;
                break;
            }
    counts.merged.assign(people.size(), 0);

    // Each repository and each author looked up once (a year holds a million merges by a hundred
    // thousand people).
    constexpr std::size_t nobody = static_cast<std::size_t>(-1);
    std::unordered_map<std::string_view, std::size_t> participant_index;  // login key -> participant, or nobody
    participant_index.reserve(people.size());
    std::unordered_map<std::string_view, bool> listed;  // "github:owner/name" -> whether the contest lists it
    for (const auto& m : in.merges) {
        if (m.at < c.starts_at || m.at >= c.ends_at) continue;
        auto repo_part = m.subject.substr(0, m.subject.find('#'));
        auto known = listed.find(repo_part);
        if (known == listed.end()) {
            std::string host, repo;
            known = listed.emplace(repo_part, pull_request_repo(std::string(m.subject), host, repo) && c.has_repo(host, repo)).first;
        }
        if (!known->second) continue;
        auto found = participant_index.find(m.login);
        if (found == participant_index.end()) {
            const participant* p = participant_of(c, m.login);
            found = participant_index.emplace(m.login, p ? static_cast<std::size_t>(p - people.data()) : nobody).first;
        }
        const auto index = found->second;
        if (index != nobody && people[index].disqualified) continue;
        const auto row = index == nobody ? counts.unregistered_row : counts.row_of[index];
        ++counts.merges_total;
        ++rows[row].merges;
        if (auto day = day_index(frame, m.at); day >= 0) ++rows[row].daily[static_cast<std::size_t>(day)];
        if (index != nobody) counts.merged[index] = 1;
        else counts.unregistered_authors.insert(m.login);
    }
    return counts;
}

json contest_operations(const operations_input& in) { return contest_operations(in, count_contest_merges(in)); }

json contest_operations(const operations_input& in, merge_counts counts) {
    const contest& c = *in.c;
    const auto& people = c.members().participants();
    report_frame frame{c.starts_at, c.ends_at, in.now, days_to_chart(c.starts_at, c.ends_at, in.now, contest_days_charted)};
    auto& rows = counts.rows;

    first_merge_waits waits;
    for (std::size_t i = 0; i < people.size() && i < counts.row_of.size(); ++i) {
        const auto& p = people[i];
        if (p.disqualified) continue;
        auto& row = rows[counts.row_of[i]];
        if (counts.merged[i] || in.other_awards.count(p.id)) ++row.active;
        auto h = history_of(login_keys(p), in.histories);
        count_participant(row, counts.merged[i], h, c.starts_at, c.ends_at);
        if (auto reg = in.registered_at.find(p.id); reg != in.registered_at.end()) count_wait(waits, h, reg->second);
    }
    count_unregistered(rows[counts.unregistered_row], counts.unregistered_authors, in.histories, c.starts_at, c.ends_at);

    auto report = operations_report(rows, counts.merges_total, std::move(waits), in.kind, frame);
    report["contest"] = c.id;
    return report;
}

}  // namespace lb::engine
