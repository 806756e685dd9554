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
    for (const auto& p : c.members().participants())
        for (auto& key : login_keys(p)) logins.insert(std::move(key));
    for (const auto& m : merges) logins.insert(m.login);
    std::vector<std::string> out(logins.begin(), logins.end());
    std::sort(out.begin(), out.end());
    return out;
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
    auto history = [&](const std::string& login) -> const login_history* {
        auto it = in.histories.find(login);
        return it == in.histories.end() ? nullptr : &it->second;
    };

    // Merges in the contest's own repositories inside the window.
    std::unordered_map<std::string_view, long long> merged_by;  // participant id -> merges
    std::unordered_set<std::string_view> unregistered_authors;  // login keys (views into in.merges)
    long long merges_total = 0;
    for (const auto& m : in.merges) {
        std::string host, repo;
        if (!pull_request_repo(m.subject, host, repo) || !c.has_repo(host, repo)) continue;
        if (m.at < c.starts_at || m.at >= c.ends_at) continue;
        const participant* p = participant_of(c, m.login);
        if (p && p->disqualified) continue;
        std::size_t row = p ? chapter(*p) : unregistered_row;
        ++merges_total;
        ++rows[row].merges;
        if (auto index = day_index(frame, m.at); index >= 0) ++rows[row].daily[static_cast<std::size_t>(index)];
        if (p) ++merged_by[p->id];
        else unregistered_authors.insert(m.login);
    }

    first_merge_waits waits;
    for (const auto& p : roster.participants()) {
        if (p.disqualified) continue;
        auto& row = rows[chapter(p)];
        ++row.registered;
        bool merged = merged_by.count(p.id) > 0;
        if (merged || in.other_awards.count(p.id)) ++row.active;
        std::optional<unix_seconds> first;
        bool again_short = false, again_long = false;
        for (const auto& login : login_keys(p))
            if (const auto* h = history(login)) {
                if (h->first_merge && (!first || *h->first_merge < *first)) first = h->first_merge;
                again_short = again_short || h->merged_within_short;
                again_long = again_long || h->merged_within_long;
            }
        if (merged) {
            ++row.merged;
            if (again_long) ++row.merged_again;
        }
        if (merged && first && *first >= c.starts_at && *first < c.ends_at) {
            ++row.new_contributors;
            if (again_short) ++row.retained_short;
            if (again_long) ++row.retained_long;
        }
        if (auto reg = in.registered_at.find(p.id); reg != in.registered_at.end()) {
            ++waits.members;
            if (!first) ++waits.not_merged_yet;
            else if (*first < reg->second) ++waits.merged_before_registering;
            else waits.seconds.push_back(static_cast<double>(*first - reg->second));
        }
    }
    for (const auto& login : unregistered_authors) {
        const auto* h = history(std::string(login));
        if (!h || !h->first_merge || *h->first_merge < c.starts_at || *h->first_merge >= c.ends_at) continue;
        auto& row = rows[unregistered_row];
        ++row.new_contributors;
        if (h->merged_within_short) ++row.retained_short;
        if (h->merged_within_long) ++row.retained_long;
    }

    auto report = operations_report(rows, merges_total, std::move(waits), in.kind, frame);
    report["contest"] = c.id;
    return report;
}

}  // namespace lb::engine
