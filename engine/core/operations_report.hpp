#pragma once
// The shape both operations reports share (a contest's, engine/core/operations.hpp, and a
// season's, engine/core/season_operations.hpp): rows per chapter, the totals, the funnel,
// retention, the wait from signing up to a first merge and merges per day; and their CSVs.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "contest.hpp"

namespace lb::engine {

inline constexpr unix_seconds retention_short = 30 * 86400;
inline constexpr unix_seconds retention_long = 90 * 86400;

// One merged pull request in the community's repositories. Views into text the reader keeps (a
// day's merges as one string, engine/store/merge_days.hpp) for as long as the figures take.
struct merge_fact {
    std::string_view subject;  // "github:owner/repo#12"
    std::string_view login;    // its author's login key, "github:alice"
    unix_seconds at = 0;
};

// What the figures need of one login beyond the window's merges.
struct login_history {
    std::optional<unix_seconds> first_merge;  // earliest merge ever recorded
    bool merged_within_short = false;         // a merge in [end, end + 30 days)
    bool merged_within_long = false;          // a merge in [end, end + 90 days)
};

struct chapter_row {
    chapter_row(std::string row_id, localized_text row_name) : id(std::move(row_id)), name(std::move(row_name)) {}
    std::string id;
    localized_text name;
    long long registered = 0, active = 0, merged = 0, merged_again = 0;
    long long new_contributors = 0, retained_short = 0, retained_long = 0, merges = 0;
    std::vector<long long> daily;
};

// What a window's merges alone tell, counted in one pass before any history is read: each row's
// merges (per day too), who merged, and the authors who are nobody's participant (the only
// logins beyond the roster's whose histories are asked).
struct merge_counts {
    std::vector<chapter_row> rows;
    std::size_t unregistered_row = 0;
    std::vector<std::size_t> row_of;  // per participant (a season: per person), the row they count in
    std::vector<char> merged;         // per participant (person): merged inside the window
    std::unordered_set<std::string_view> unregistered_authors;
    long long merges_total = 0;
};

// Members' waits from signing up to their first merge.
struct first_merge_waits {
    long long members = 0, merged_before_registering = 0, not_merged_yet = 0;
    std::vector<double> seconds;
};

// The figures' time frame: merges per day are counted for days_shown days from starts_at.
struct report_frame {
    unix_seconds starts_at = 0, ends_at = 0, now = 0;
    long long days_shown = 0;
};

// What someone's logins tell beyond the window: the earliest merge of any, and whether any merged
// again after the end.
struct merge_history {
    std::optional<unix_seconds> first;
    bool again_short = false, again_long = false;
};
using login_histories = std::unordered_map<std::string, login_history>;
merge_history history_of(const std::vector<std::string>& logins, const login_histories& histories);

// Counts a registered person (or participant) in their row: merged, merged again, a New
// Contributor when their first merge ever falls in [starts_at, ends_at), retained; and, for a
// member who signed up at registered_at, the wait to their first merge.
void count_participant(chapter_row& row, bool merged, const merge_history& h, unix_seconds starts_at, unix_seconds ends_at);
void count_wait(first_merge_waits& waits, const merge_history& h, unix_seconds registered_at);
// Counts merge authors who are nobody's participant: New Contributors and their retention only.
void count_unregistered(chapter_row& row, const std::unordered_set<std::string_view>& logins, const login_histories& histories,
                        unix_seconds starts_at, unix_seconds ends_at);

// Days charted from starts_at up to now (at most max_days).
long long days_to_chart(unix_seconds starts_at, unix_seconds ends_at, unix_seconds now, long long max_days);
// Where a time falls among the charted days, or -1 outside them.
long long day_index(const report_frame& frame, unix_seconds at);

// Everything but the report's subject ("contest" or "season"), which the caller adds.
nlohmann::json operations_report(const std::vector<chapter_row>& rows, long long merges_total, first_merge_waits waits,
                                 team_kind kind, const report_frame& frame);

// The report's chapters as CSV (one row each, then the totals), and its merges per day.
std::string operations_csv(const nlohmann::json& report);
std::string daily_merges_csv(const nlohmann::json& report);

}  // namespace lb::engine
