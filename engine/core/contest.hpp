#pragma once
// The contest model as loaded from the configuration file. Plain data: the
// loader validates it completely, everything downstream may trust it.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "community.hpp"
#include "durability.hpp"
#include "fixed_points.hpp"
#include "hosts.hpp"
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

// A community member's move to another chapter, as it reaches a contest: from `since` the
// participant's team of `kind` is `team` (a team of the contest, "" for none of them).
struct team_move {
    team_kind kind = team_kind::city;
    std::string team;
    unix_seconds since = 0;
    bool operator==(const team_move&) const = default;
};

struct participant {
    std::string id;
    std::string name;
    host_logins logins;  // by host id: "github" -> "octocat"
    std::string person;  // the community id of who this is (empty: matched by login, if at all)
    std::vector<std::string> teams;  // the roster's: where points land until a move of their kind
    bool disqualified = false;  // off every board until reinstated; awards stay in the ledger
    std::vector<team_move> moves;  // from the community (the roster never holds them), oldest first
    // The teams after every move, derived once by the roster that holds the participant.
    std::vector<std::string> teams_after_moves;

    // Where their points land now (a move never starts in the future).
    const std::vector<std::string>& current_teams() const { return moves.empty() ? teams : teams_after_moves; }
};

// Teams and participants as they are now: the configured ones overlaid by run-time
// imports. Immutable once built; a change publishes a new roster.
class roster {
public:
    roster() = default;
    roster(std::vector<team> teams, std::vector<participant> participants);

    const std::vector<team>& teams() const { return teams_; }
    const std::vector<participant>& participants() const { return participants_; }
    const team* find_team(std::string_view team_id) const;
    const participant* find_participant(std::string_view participant_id) const;
    const participant* find_by_login(std::string_view host, std::string_view login) const;

    // The participant's teams at a time: the roster's, each kind replaced by the latest move of
    // that kind made by then.
    std::vector<std::string> teams_at(const participant& p, unix_seconds at) const;

private:
    std::vector<team> teams_;
    std::vector<participant> participants_;
    std::unordered_map<std::string, std::size_t> team_index_;
    std::unordered_map<std::string, std::size_t> participant_index_;
    std::unordered_map<std::string, std::size_t> login_index_;  // "github:alice" -> participant
};

// Holds the current roster of a contest. Readers on any thread get a pointer that stays
// valid: a replaced roster is kept for a grace period far longer than any request lives.
class roster_slot {
public:
    roster_slot();
    roster_slot(const roster_slot& other);
    roster_slot& operator=(const roster_slot& other);

    const roster& current() const { return *current_.load(std::memory_order_acquire); }
    // now: when the current roster is replaced (an earlier one is freed 10 minutes after its replacement).
    void publish(roster next, unix_seconds now);

private:
    struct kept {
        std::mutex mutex;
        std::vector<std::pair<std::unique_ptr<roster>, long long>> rosters;  // with the time they were replaced
    };
    std::atomic<const roster*> current_;
    std::shared_ptr<kept> kept_;
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

// Homework: what participants hand in for a judged component, one piece per assignment.
struct assignment_rule {
    std::string id;
    localized_text name;
    unix_seconds opens_at = 0;
    unix_seconds due_at = 0;
};
struct hand_in_rules {
    std::vector<assignment_rule> assignments;
    bool accept_late = false;  // "late": "accept" takes a hand-in after its due time, marked late
    bool mean = false;         // "combine": "mean" (else "sum") of the assignments' scores
    const assignment_rule* find(std::string_view assignment_id) const;
};

// A public vote ("kind": "votes"): participants hand in an entry (a link and a title), signed-in
// members cast one ballot each inside the window, never for themselves (engine/core/votes.hpp).
struct vote_rules {
    unix_seconds opens_at = 0;
    unix_seconds closes_at = 0;
    int k = 1;                        // approvals per ballot; for a ranked ballot the places, worth k..1
    bool ranked = false;              // "ballot": "ranked" (Borda) or "approval"
    bool joined_before_open = false;  // "voters": "members_joined_before_open" (else "members")
    bool live_tallies = false;        // "show_tallies": "live" (else "after_close")
    std::optional<centi> per_vote;    // "points_per_vote": each vote's worth, up to max; else max × votes / most votes
};

struct component_rule {
    std::string id;
    double weight = 1.0;
    centi max = 0;
    localized_text name;  // the id in both languages when the config names none
    std::optional<hand_in_rules> submissions;  // set: scored per assignment handed in, not as a whole
    std::optional<vote_rules> vote;            // set: scored by a public vote
};

// How a contest or a team looks on the page: a colour ("#rrggbb") and a logo, a file
// name in the config's branding folder (checked to exist and to be an image type).
struct brand {
    std::string color;
    std::string logo;
};

// A title for the final ranks from..to of the individuals' board ("1st prize", the top six),
// shown and exported once the contest is final.
struct placing_rule {
    long long from = 1;
    long long to = 1;
    localized_text title;
};

// The big screen: which chapter boards the race panel shows, and whether it cycles them.
struct screen_settings {
    std::vector<std::string> race;  // team boards, e.g. "teams:city"; empty: the contest's first team board
    long long rotate_seconds = 0;   // 0: the race panel stays on its first board
};

// An organizer's freeze or unfreeze overrides the schedule (freeze_at); a finalize locks the
// standings. Held here as last read from Redis, for views and for refusing writes early;
// the store scripts read the Redis keys themselves.
enum class freeze_mode { by_schedule, frozen, unfrozen };

class freeze_switch {
public:
    freeze_switch() = default;
    freeze_switch(const freeze_switch& other) { *this = other; }
    freeze_switch& operator=(const freeze_switch& other) {
        mode_.store(other.mode_.load());
        since_.store(other.since_.load());
        final_.store(other.final_.load());
        return *this;
    }
    void set(freeze_mode mode, unix_seconds since) {
        since_.store(since);
        mode_.store(static_cast<int>(mode));
    }
    freeze_mode mode() const { return static_cast<freeze_mode>(mode_.load()); }
    unix_seconds since() const { return since_.load(); }
    void set_final(bool final) { final_.store(final); }
    bool final() const { return final_.load(); }

private:
    std::atomic<bool> final_{false};
    std::atomic<int> mode_{0};
    std::atomic<long long> since_{0};
};

struct contest {
    std::string id;
    localized_text title;
    unix_seconds starts_at = 0;
    unix_seconds ends_at = 0;
    std::optional<unix_seconds> freeze_at;
    std::vector<std::string> repos;  // "<host>:owner/name" (GitLab: "gitlab:group/sub/project"), lower-cased
    std::vector<team> teams;                // as configured; members() adds run-time imports
    std::vector<participant> participants;  // as configured
    pull_request_rules pull_requests;
    std::vector<model_rule> models;
    double reproduction_weight = 1.0;
    std::vector<component_rule> components;

    bool auto_accept_reproduction_prs = false;
    long long reconcile_every_minutes = 0;  // serve asks the hosts for missed merges this often (0: never)  // a merged "reproduce/<model>" PR is accepted without a judge
    brand branding;
    std::map<std::string, brand> team_branding;  // by team id
    screen_settings screen;
    std::vector<placing_rule> placings;  // by rank, not overlapping
    const placing_rule* placing_for(long long rank) const;

    const roster& members() const { return roster_.current(); }
    // The roster is the one part of a contest that changes while serving (admin imports,
    // disqualifications); it is swapped atomically, so const access stays safe.
    void publish_roster(roster next, unix_seconds now) const { roster_.publish(std::move(next), now); }

    // Whether public views show the frozen boards now, and since when.
    std::optional<unix_seconds> frozen_since(unix_seconds now) const;
    bool public_frozen(unix_seconds now) const { return frozen_since(now).has_value(); }
    void set_freeze(freeze_mode mode, unix_seconds since) const { freeze_.set(mode, since); }
    freeze_mode freeze_override() const { return freeze_.mode(); }
    // Final: the standings are locked (awards arriving later are kept, not counted).
    bool is_final() const { return freeze_.final(); }
    void set_final(bool final) const { freeze_.set_final(final); }

    const team* find_team(std::string_view team_id) const;
    const participant* find_participant(std::string_view participant_id) const;
    // host: a host id of the table (hosts.hpp); logins compare as the host's case rule says.
    const participant* find_by_login(std::string_view host, std::string_view login) const;
    bool has_repo(std::string_view host, std::string_view full_name) const;
    // Every board this contest publishes, e.g. "participants", "teams:city", "component:homework".
    std::vector<std::string> boards() const;
    bool has_board(std::string_view board) const;
    bool is_team_board(std::string_view board) const;
    // Display name of a board member (participant or team) in the given language.
    std::string member_name(std::string_view board, std::string_view member, std::string_view lang = "en") const;

    const model_rule* find_model(std::string_view model_id) const;
    const component_rule* find_component(std::string_view component_id) const;

    // Publishes the configured teams and participants as the roster.
    void build_indexes();

private:
    mutable roster_slot roster_;
    mutable freeze_switch freeze_;
};

// Where a host's REST API is and which environment variable holds its token (reconcile).
struct host_api_settings {
    std::string api_url;    // the table's api_url unless set
    std::string token_env;  // empty: anonymous requests (public repositories, low rate limits)
};

// One host's block under "webhooks" (a host without one keeps the defaults and refuses deliveries).
struct host_hook_settings {
    bool configured = false;  // the config has a block for this host
    std::string secret_env;   // the variable holding the hook's secret (or token, or password)
    std::string mode;         // how its hooks prove themselves: one of the host's auth_modes
    long long timestamp_window_seconds = 300;  // Gitee: how far X-Gitee-Timestamp may be from our clock
    host_api_settings api;    // the host's REST API: reconcile, imports, GitLab's author lookups
};

struct webhook_settings {
    webhook_settings();
    std::map<std::string, host_hook_settings, std::less<>> hosts;  // every host of the table, by id
    const host_hook_settings& of(std::string_view host) const;
};

struct live_settings {
    std::vector<std::string> allowed_origins;  // empty: any origin may open /ws
    long long queue_bytes = 256 * 1024;        // per viewer; beyond it the backlog becomes one snapshot
    long long stuck_seconds = 30;              // a viewer whose write has not finished by then is closed
    double messages_per_second = 5;            // subscribe/resync a viewer may send (a burst of 4 times that)
};

struct redis_settings {
    long long command_timeout_ms = 1000;  // a request waits at most about this long for Redis, then 503 (or the spool)
    int wait_replicas = 0;                // a delivery is acknowledged once this many replicas hold its award
    long long wait_timeout_ms = 500;      // ... or spooled when they do not within this long
    // exact: a delivery is acknowledged as applied only when Redis keeps it through its own crash
    // (else once its AOF holds it, or from the spool); relaxed: as soon as the award script answered.
    durability_mode durability = durability_mode::exact;
};

// A token bucket: what one client may do at once (burst) and how fast that comes back.
struct client_rate {
    double per_minute = 20;
    double burst = 20;
};

struct server_settings {
    long long max_connections = 20000;  // HTTP and WebSocket together; past it a connection gets 503
    // Peers whose X-Forwarded-For names the client (a reverse proxy); nobody else's is believed.
    std::vector<std::string> trusted_proxies;
    client_rate public_writes{30, 60};       // sign-ups, submissions, sign-in starts, per client address
    client_rate failed_credentials{10, 10};  // a wrong token on any route, per client address
};

// Someone who may judge: record verdicts and component scores, claim submissions. The
// token comes from the environment variable named here, never from the file.
struct judge {
    std::string id;
    std::string name;
    std::string token_env;
    std::string token;  // read from token_env by the server (never from the file); empty: cannot sign in
};

// A season groups contests of the community, each with a weight; its boards rank people (by
// community id) and chapters over every contest in it (engine/core/seasons.hpp).
struct season_contest {
    std::string contest;
    double weight = 1.0;
};

struct season {
    std::string id;
    localized_text title;
    std::vector<season_contest> contests;
};

struct config {
    std::string admin_token_env;
    std::vector<judge> judges;
    webhook_settings webhooks;
    live_settings live;
    server_settings server;
    redis_settings redis;
    std::string branding_dir;  // where logos are read from: "branding" next to the config unless set
    community_settings community;
    std::vector<contest> contests;
    std::vector<season> seasons;

    const contest* find_contest(std::string_view contest_id) const;
    const season* find_season(std::string_view season_id) const;
};

std::string to_lower_ascii(std::string_view text);

// A participant's logins as the community keys them ("github:alice"), in the host table's order.
std::vector<std::string> login_keys(const participant& p);

}  // namespace lb::engine
