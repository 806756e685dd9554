#include "operations_report.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "csv.hpp"

namespace lb::engine {

using nlohmann::json;

namespace {

constexpr unix_seconds day = 86400;

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

merge_history history_of(const std::vector<std::string>& logins, const login_histories& histories) {
    merge_history out;
    for (const auto& login : logins) {
        auto it = histories.find(login);
        if (it == histories.end()) continue;
        const auto& h = it->second;
        if (h.first_merge && (!out.first || *h.first_merge < *out.first)) out.first = h.first_merge;
        out.again_short = out.again_short || h.merged_within_short;
        out.again_long = out.again_long || h.merged_within_long;
    }
    return out;
}

void count_participant(chapter_row& row, bool merged, const merge_history& h, unix_seconds starts_at, unix_seconds ends_at) {
    ++row.registered;
    if (!merged) return;
    ++row.merged;
    if (h.again_long) ++row.merged_again;
    if (h.first && *h.first >= starts_at && *h.first < ends_at) {
        ++row.new_contributors;
        if (h.again_short) ++row.retained_short;
        if (h.again_long) ++row.retained_long;
    }
}

void count_wait(first_merge_waits& waits, const merge_history& h, unix_seconds registered_at) {
    ++waits.members;
    if (!h.first) ++waits.not_merged_yet;
    else if (*h.first < registered_at) ++waits.merged_before_registering;
    else waits.seconds.push_back(static_cast<double>(*h.first - registered_at));
}

void count_unregistered(chapter_row& row, const std::unordered_set<std::string_view>& logins, const login_histories& histories,
                        unix_seconds starts_at, unix_seconds ends_at) {
    for (const auto& login : logins) {
        auto it = histories.find(std::string(login));
        if (it == histories.end()) continue;
        const auto& h = it->second;
        if (!h.first_merge || *h.first_merge < starts_at || *h.first_merge >= ends_at) continue;
        ++row.new_contributors;
        if (h.merged_within_short) ++row.retained_short;
        if (h.merged_within_long) ++row.retained_long;
    }
}

long long days_to_chart(unix_seconds starts_at, unix_seconds ends_at, unix_seconds now, long long max_days) {
    unix_seconds until = std::clamp(now, starts_at, ends_at);
    return std::min<long long>(max_days, (until - starts_at + day - 1) / day);
}

long long day_index(const report_frame& frame, unix_seconds at) {
    if (at < frame.starts_at) return -1;
    auto index = (at - frame.starts_at) / day;
    return index < frame.days_shown ? index : -1;
}

json operations_report(const std::vector<chapter_row>& rows, long long merges_total, first_merge_waits waits, team_kind kind,
                       const report_frame& frame) {
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
    for (long long i = 0; i < frame.days_shown; ++i) day_names.push_back(format_rfc3339(frame.starts_at + i * day).substr(0, 10));
    auto& seconds = waits.seconds;
    std::sort(seconds.begin(), seconds.end());
    json wait = {{"members", waits.members}, {"measured", seconds.size()}, {"merged_before_registering", waits.merged_before_registering},
                 {"not_merged_yet", waits.not_merged_yet}, {"median_hours", nullptr}, {"p90_hours", nullptr}};
    if (!seconds.empty()) {
        wait["median_hours"] = hours(median(seconds));
        wait["p90_hours"] = hours(percentile90(seconds));
    }
    json totals = row_json(total);
    totals["merges"] = merges_total;
    return {{"kind", to_string(kind)},
            {"starts_at", format_rfc3339(frame.starts_at)},
            {"ends_at", format_rfc3339(frame.ends_at)},
            {"generated_at", format_rfc3339(frame.now)},
            {"retention_complete",
             {{"30", frame.now >= frame.ends_at + retention_short}, {"90", frame.now >= frame.ends_at + retention_long}}},
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
