#include "operations.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <unordered_set>

#include "csv.hpp"

namespace lb::engine {

using nlohmann::json;

namespace {

constexpr unix_seconds day = 86400;
constexpr long long max_days = 400;  // the longest contest the tie encoding holds

struct chapter_row {
    chapter_row(std::string row_id, localized_text row_name) : id(std::move(row_id)), name(std::move(row_name)) {}
    std::string id;
    localized_text name;
    long long registered = 0, active = 0, merged = 0, merged_again = 0;
    long long new_contributors = 0, retained_short = 0, retained_long = 0, merges = 0;
    std::vector<long long> daily;
};

// Who a login key ("github:alice") is in the contest, if anyone.
const participant* participant_of(const contest& c, std::string_view login) {
    auto colon = login.find(':');
    if (colon == std::string_view::npos) return nullptr;
    return c.find_by_login(login.substr(0, colon), login.substr(colon + 1));
}

json rate(long long part, long long whole) {
    if (whole == 0) return nullptr;
    return std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 1000.0;
}

json hours(double seconds) { return std::round(seconds / 360.0) / 10.0; }

// The middle value of a sorted list (the mean of the two middle ones for an even count).
double median(const std::vector<double>& sorted) {
    auto n = sorted.size();
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

// The nearest-rank 90th percentile of a sorted list.
double percentile90(const std::vector<double>& sorted) {
    auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(sorted.size())));
    return sorted[std::max<std::size_t>(rank, 1) - 1];
}

json row_json(const chapter_row& r) {
    return {{"id", r.id},
            {"name", {{"en", r.name.en}, {"zh", r.name.zh}}},
            {"registered", r.registered},
            {"active", r.active},
            {"merged", r.merged},
            {"merged_again", r.merged_again},
            {"new_contributors", r.new_contributors},
            {"retained_30", r.retained_short},
            {"retained_90", r.retained_long},
            {"merges", r.merges}};
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
    unix_seconds until = std::clamp(in.now, c.starts_at, c.ends_at);
    auto days = std::min<long long>(max_days, (until - c.starts_at + day - 1) / day);

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
    for (auto& r : rows) r.daily.assign(static_cast<std::size_t>(days), 0);

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
        auto index = (m.at - c.starts_at) / day;
        if (index < days) ++rows[row].daily[static_cast<std::size_t>(index)];
        if (p) ++merged_by[p->id];
        else unregistered_authors.insert(m.login);
    }

    std::vector<double> waits;  // seconds from signing up to the first merge
    long long members = 0, before_registering = 0, not_merged = 0;
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
            ++members;
            if (!first) ++not_merged;
            else if (*first < reg->second) ++before_registering;
            else waits.push_back(static_cast<double>(*first - reg->second));
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

    chapter_row total{"total", {"Total", "合计"}};
    json chapters = json::array();
    json daily_rows = json::object();
    for (const auto& r : rows) {
        for (long long chapter_row::*field : {&chapter_row::registered, &chapter_row::active, &chapter_row::merged, &chapter_row::merged_again,
                            &chapter_row::new_contributors, &chapter_row::retained_short, &chapter_row::retained_long,
                            &chapter_row::merges})
            total.*field += r.*field;
        chapters.push_back(row_json(r));
        daily_rows[r.id] = r.daily;
    }
    json day_names = json::array();
    for (long long i = 0; i < days; ++i) day_names.push_back(format_rfc3339(c.starts_at + i * day).substr(0, 10));
    std::sort(waits.begin(), waits.end());
    json wait = {{"members", members}, {"measured", waits.size()}, {"merged_before_registering", before_registering},
                 {"not_merged_yet", not_merged}, {"median_hours", nullptr}, {"p90_hours", nullptr}};
    if (!waits.empty()) {
        wait["median_hours"] = hours(median(waits));
        wait["p90_hours"] = hours(percentile90(waits));
    }
    json totals = row_json(total);
    totals["merges"] = merges_total;
    return {{"contest", c.id},
            {"kind", to_string(in.kind)},
            {"starts_at", format_rfc3339(c.starts_at)},
            {"ends_at", format_rfc3339(c.ends_at)},
            {"generated_at", format_rfc3339(in.now)},
            {"retention_complete", {{"30", in.now >= c.ends_at + retention_short}, {"90", in.now >= c.ends_at + retention_long}}},
            {"chapters", std::move(chapters)},
            {"totals", std::move(totals)},
            {"funnel", {{"registered", total.registered}, {"merged", total.merged}, {"merged_again", total.merged_again},
                        {"registered_to_merged", rate(total.merged, total.registered)},
                        {"merged_to_merged_again", rate(total.merged_again, total.merged)}}},
            {"retention", {{"new_contributors", total.new_contributors},
                           {"rate_30", rate(total.retained_short, total.new_contributors)},
                           {"rate_90", rate(total.retained_long, total.new_contributors)}}},
            {"time_to_first_merge", std::move(wait)},
            {"daily", {{"days", std::move(day_names)}, {"chapters", std::move(daily_rows)}}}};
}

std::string operations_csv(const json& report) {
    std::ostringstream out;
    out << "chapter,name,registered,active,merged,merged_again,new_contributors,retained_30,retained_90,merges\r\n";
    auto line = [&](const json& r) {
        out << csv_field(r["id"].get<std::string>()) << ',' << csv_field(r["name"]["en"].get<std::string>());
        for (const char* key : {"registered", "active", "merged", "merged_again", "new_contributors", "retained_30", "retained_90", "merges"})
            out << ',' << r[key].get<long long>();
        out << "\r\n";
    };
    for (const auto& r : report["chapters"]) line(r);
    line(report["totals"]);
    return out.str();
}

std::string daily_merges_csv(const json& report) {
    std::ostringstream out;
    out << "date,chapter,merges\r\n";
    const auto& days = report["daily"]["days"];
    for (const auto& [chapter, counts] : report["daily"]["chapters"].items())
        for (std::size_t i = 0; i < days.size() && i < counts.size(); ++i)
            out << days[i].get<std::string>() << ',' << csv_field(chapter) << ',' << counts[i].get<long long>() << "\r\n";
    return out.str();
}

}  // namespace lb::engine
