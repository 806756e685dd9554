#pragma once
// What the live page receives, built without I/O: subscriptions, row diffs,
// and the snapshot/update/me frames (serialized once, shared by every viewer).
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "standings.hpp"

namespace lb::gateway {

struct subscription {
    std::string contest;
    std::string board = "participants";
    int limit = 25;
    int events = 20;          // award events per frame (a phone's ticker shows a few)
    std::string me;           // a participant (or team) id whose own row the client wants
    std::string admin_token;  // only in a subscribe message, never in a URL
};

inline constexpr int max_live_limit = 200;
// Bounds on one frame, so that a burst of awards never makes one huge frame:
// the screen shows the latest events (the full log is at /events) and short titles.
inline constexpr std::size_t max_frame_events = 20;
inline constexpr std::size_t max_title_bytes = 300;

// From the /ws query string, or from {"type":"subscribe",...}; the error names the field.
std::variant<subscription, std::string> parse_subscription(const std::map<std::string, std::string>& query);
std::variant<subscription, std::string> parse_subscribe_message(const nlohmann::json& message);

// What a viewer may send: {"type":"subscribe",...} or {"type":"resync"}.
struct client_message {
    enum class kind { subscribe, resync };
    kind type = kind::resync;
    subscription sub;  // for subscribe
};
// The error names the field ("type: ...", "limit: ...") or says the text is not a JSON object.
std::variant<client_message, std::string> parse_client_message(std::string_view text);
// Checks the contest and board exist and the me id is known (when given).
std::string validate_subscription(const engine::config& config, const subscription& sub);

struct row_diff {
    std::vector<engine::standings_row> changed;  // new rows, or rows whose rank or points moved
    std::vector<std::string> removed;            // ids that left the top rows
    bool empty() const { return changed.empty() && removed.empty(); }
};
row_diff diff_rows(const std::vector<engine::standings_row>& before, const std::vector<engine::standings_row>& after);

// An award-log entry as the big screen shows it: who, which team (the first listed), what, how many points.
nlohmann::json screen_event(const engine::contest& c, const nlohmann::json& event);

nlohmann::json contest_times(const engine::contest& c);

std::string snapshot_frame(const engine::contest& c, const std::string& board, long long seq, const engine::standings_page& page,
                           const nlohmann::json& events, const std::optional<nlohmann::json>& me);
// reveal: the board was just unfrozen; the page plays the final standings from the bottom up.
std::string update_frame(const engine::contest& c, const std::string& board, long long seq, const row_diff& diff,
                         long long total, bool frozen, const nlohmann::json& events, bool reveal = false,
                         std::size_t max_events = max_frame_events);
std::string me_frame(const nlohmann::json& row);

}  // namespace lb::gateway
