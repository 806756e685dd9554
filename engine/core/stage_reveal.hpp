#pragma once
// The stage reveal after an unfreeze: a presenter hides the top rows of one board and
// uncovers them one at a time, last place first; every screen shows the same step.
// Pure state and rules; the store keeps the state ({rev, value} at keys::reveal).
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "contest.hpp"

namespace lb::engine {

inline constexpr int max_reveal_rows = 200;

struct reveal_state {
    bool active = false;
    std::string board = "participants";
    int rows = 10;  // the top rows hidden when the reveal starts
    int step = 0;   // how many of them are uncovered, from the bottom (rows: all of them)
    bool autoplay = false;
    double pace_seconds = 3;  // between steps while autoplay runs (the presenter's screen keeps the pace)
    long long rev = 0;        // the store's revision; screens keep the highest they have seen

    nlohmann::json to_json() const;
    static reveal_state from_json(const nlohmann::json& j);  // missing or wrong fields keep their defaults
};

struct reveal_request {
    std::string action;  // start, next, back, auto, pause, stop
    std::optional<std::string> board;
    std::optional<int> rows;
    std::optional<double> pace_seconds;
};

// {"action": ..., "board": ..., "rows": ..., "pace_seconds": ...}; the error names the field.
std::variant<reveal_request, std::string> parse_reveal_request(const nlohmann::json& body);
// The state after the request; an error (naming the field) when it does not apply.
std::variant<reveal_state, std::string> apply_reveal(const reveal_state& now, const reveal_request& request, const contest& c);

}  // namespace lb::engine
