#include "operations.hpp"

#include <algorithm>
#include <unordered_set>


namespace lb::engine {

using nlohmann::json;

namespace {

constexpr long long max_days = 400;  // the longest contest the tie encoding holds

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
    return host == "github" || host == "gitee";
}

std::vector<std::string> logins_to_read(const contest& c, const std::vector<merge_fact>& merges) {
    std::unordered_set<std::string> logins;
    logins.reserve(c.members().participants().size());
    for (const auto& p : c.members().participants())
        for (auto& key : login_keys(p)) logins.insert(std::move(key));
    std::unordered_set<std::string_view> authors;  // the same few logins, over and over
    authors.reserve(logins.size());
    for (const auto& m : merges) authors.insert(m.login);
    for (auto login : authors) logins.emplace(login);
    return {std::make_move_iterator(logins.begin()), std::make_move_iterator(logins.end())};
}

json contest_operations(const operations_input& in) {
    const contest& c = *in.c;
    const auto& roster = c.members();
    report_frame frame{c.starts_at, c.ends_at, in.now, days_to_chart(c.starts_at, c.ends_at, in.now, max_days)};

    std::vector<chapter_row> rows;
    std::map<std::string, std::size_t> row_of;  // team id -> row
    for (const auto& t : roster.teams())
        if (t.kind == in.kind) {
            row_of[t.id] = rows.size();
            rows.push_back({t.id, t.name});
        }
    const std::size_t none_row = rows.size();
    rows.push_back({"none", {"No chapter", "无分会"}});
    const std::size_t unregistered_row = rows.size();
    rows.push_back({"unregistered", {"Not registered", "未报名"}});
    for (auto& r : rows) r.daily.assign(static_cast<std::size_t>(frame.days_shown), 0);

    auto chapter = [&](const participant& p) {
        for (const auto& team_id : p.teams)
            if (auto it = row_of.find(team_id); it != row_of.end()) return it->second;
        return none_row;
    };

    // Merges in the contest's own repositories inside the window; each repository and each author
    // looked up once (a year holds a million merges by a hundred thousand people).
    const auto& people = roster.participants();
    std::vector<char> merged(people.size(), 0);
    struct author {
        const participant* p;
        std::size_t row;
    };
    std::unordered_map<std::string_view, author> authors;
    authors.reserve(people.size());
    std::unordered_map<std::string_view, bool> listed;  // "github:owner/name" -> whether the contest lists it
    std::unordered_set<std::string_view> unregistered_authors;
    long long merges_total = 0;
    for (const auto& m : in.merges) {
        if (m.at < c.starts_at || m.at >= c.ends_at) continue;
        auto repo_part = m.subject.substr(0, m.subject.find('#'));
        auto known = listed.find(repo_part);
        if (known == listed.end()) {
            std::string host, repo;
            known = listed.emplace(repo_part, pull_request_repo(std::string(m.subject), host, repo) && c.has_repo(host, repo)).first;
        }
        if (!known->second) continue;
        auto found = authors.find(m.login);
        if (found == authors.end()) {
            const participant* p = participant_of(c, m.login);
            found = authors.emplace(m.login, author{p, p ? chapter(*p) : unregistered_row}).first;
        }
        const auto [p, row] = found->second;
        if (p && p->disqualified) continue;
        ++merges_total;
        ++rows[row].merges;
        if (auto index = day_index(frame, m.at); index >= 0) ++rows[row].daily[static_cast<std::size_t>(index)];
        if (p) merged[static_cast<std::size_t>(p - people.data())] = 1;
        else unregistered_authors.insert(m.login);
    }

    first_merge_waits waits;
    for (std::size_t i = 0; i < people.size(); ++i) {
        const auto& p = people[i];
        if (p.disqualified) continue;
        auto& row = rows[chapter(p)];
        if (merged[i] || in.other_awards.count(p.id)) ++row.active;
        auto h = history_of(login_keys(p), in.histories);
        count_participant(row, merged[i], h, c.starts_at, c.ends_at);
        if (auto reg = in.registered_at.find(p.id); reg != in.registered_at.end()) count_wait(waits, h, reg->second);
    }
    count_unregistered(rows[unregistered_row], unregistered_authors, in.histories, c.starts_at, c.ends_at);

    auto report = operations_report(rows, merges_total, std::move(waits), in.kind, frame);
    report["contest"] = c.id;
    return report;
}

}  // namespace lb::engine
