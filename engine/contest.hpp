#pragma once
// The contest model as loaded from the configuration file. Plain data: the
// loader validates it completely, everything downstream may trust it.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "fixed_points.hpp"
#include "rfc3339.hpp"

namespace lb::engine {

enum class team_kind { city, school, company };
inline constexpr team_kind all_team_kinds[] = {team_kind::city, team_kind::school, team_kind::company};
const char* to_string(team_kind kind);
std::optional<team_kind> parse_team_kind(std::string_view text);

// A plain string in the file gives both languages the same text.
struct localized_text {
    std::string en;
    std::string zh;
};

struct team {
    std::string id;
    localized_text name;
    team_kind kind = team_kind::city;
};

struct participant {
    std::string id;
    std::string name;
    std::string github;  // login, empty when none
    std::string gitee;
    std::vector<std::string> teams;
};

enum class label_mode { max, sum };

struct pull_request_rules {
    bool enabled = false;
    double weight = 1.0;
    centi base_points = 0;
    std::map<std::string, centi> label_points;  // keys normalized by normalize_label
    label_mode mode = label_mode::max;
    std::set<std::string> exclude_labels;  // normalized
    std::set<std::string> require_labels;  // normalized
    std::optional<centi> max_points_per_pr;
};

struct model_rule {
    std::string id;
    localized_text name;
    centi points = 0;
    std::string metric;
    double target = 0;
    double tolerance = 0;
    centi first_bonus = 0;
};

struct component_rule {
    std::string id;
    double weight = 1.0;
    centi max = 0;
};

struct contest {
    std::string id;
    localized_text title;
    unix_seconds starts_at = 0;
    unix_seconds ends_at = 0;
    std::optional<unix_seconds> freeze_at;
    std::vector<std::string> repos;  // "github:owner/name", lower-cased
    std::vector<team> teams;
    std::vector<participant> participants;
    pull_request_rules pull_requests;
    std::vector<model_rule> models;
    double reproduction_weight = 1.0;
    std::vector<component_rule> components;

    const team* find_team(std::string_view team_id) const;
    const participant* find_participant(std::string_view participant_id) const;
    // host is "github" or "gitee"; logins compare case-insensitively.
    const participant* find_by_login(std::string_view host, std::string_view login) const;
    bool has_repo(std::string_view host, std::string_view full_name) const;
    // Every board this contest publishes, e.g. "participants", "teams:city", "component:homework".
    std::vector<std::string> boards() const;
    bool has_board(std::string_view board) const;
    bool is_team_board(std::string_view board) const;
    // Display name of a board member (participant or team) in the given language.
    std::string member_name(std::string_view board, std::string_view member, std::string_view lang = "en") const;

    void build_indexes();

private:
    std::unordered_map<std::string, std::size_t> team_index_;
    std::unordered_map<std::string, std::size_t> participant_index_;
    std::unordered_map<std::string, std::size_t> login_index_;  // "github:alice" -> participant
};

struct webhook_settings {
    std::string github_secret_env;
    std::string gitee_secret_env;
    std::string gitee_mode = "signature";
    long long gitee_timestamp_window_seconds = 300;  // how far X-Gitee-Timestamp may be from our clock
};

struct live_settings {
    std::vector<std::string> allowed_origins;  // empty: any origin may open /ws
    long long queue_bytes = 256 * 1024;        // per viewer; beyond it the backlog becomes one snapshot
    long long stuck_seconds = 30;              // a viewer whose write has not finished by then is closed
};

struct config {
    std::string admin_token_env;
    webhook_settings webhooks;
    live_settings live;
    std::vector<contest> contests;

    const contest* find_contest(std::string_view contest_id) const;
};

std::string to_lower_ascii(std::string_view text);

}  // namespace lb::engine
