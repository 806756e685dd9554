#include "stage_reveal.hpp"

#include <algorithm>
#include <cmath>

namespace lb::engine {

using nlohmann::json;

json reveal_state::to_json() const {
    return {{"active", active}, {"board", board}, {"rows", rows}, {"step", step},
            {"auto", autoplay}, {"pace_seconds", pace_seconds}, {"rev", rev}};
}

reveal_state reveal_state::from_json(const json& j) {
    reveal_state s;
    if (!j.is_object()) return s;
    auto flag = [&](const char* key, bool& out) { if (j.contains(key) && j[key].is_boolean()) out = j[key].get<bool>(); };
    flag("active", s.active);
    flag("auto", s.autoplay);
    if (j.contains("board") && j["board"].is_string()) s.board = j["board"].get<std::string>();
    if (j.contains("rows") && j["rows"].is_number_integer()) s.rows = std::clamp(j["rows"].get<int>(), 1, max_reveal_rows);
    if (j.contains("step") && j["step"].is_number_integer()) s.step = std::clamp(j["step"].get<int>(), 0, s.rows);
    if (j.contains("pace_seconds") && j["pace_seconds"].is_number()) s.pace_seconds = j["pace_seconds"].get<double>();
    return s;
}

std::variant<reveal_request, std::string> parse_reveal_request(const json& body) {
    static const char* const actions[] = {"start", "next", "back", "auto", "pause", "stop"};
    if (!body.is_object()) return std::string("(body): expected a JSON object");
    for (const auto& [key, value] : body.items())
        if (key != "action" && key != "board" && key != "rows" && key != "pace_seconds") return key + ": not a field of a reveal request";
    reveal_request r;
    if (!body.contains("action") || !body["action"].is_string()) return std::string("action: expected start, next, back, auto, pause or stop");
    r.action = body["action"].get<std::string>();
    if (std::find(std::begin(actions), std::end(actions), r.action) == std::end(actions))
        return std::string("action: expected start, next, back, auto, pause or stop");
    if (body.contains("board")) {
        if (!body["board"].is_string()) return std::string("board: expected a board name");
        r.board = body["board"].get<std::string>();
    }
    if (body.contains("rows")) {
        if (!body["rows"].is_number_integer() || body["rows"].get<long long>() < 1 || body["rows"].get<long long>() > max_reveal_rows)
            return std::string("rows: expected a whole number from 1 to 200");
        r.rows = body["rows"].get<int>();
    }
    if (body.contains("pace_seconds")) {
        const auto& pace = body["pace_seconds"];
        if (!pace.is_number() || !std::isfinite(pace.get<double>()) || pace.get<double>() < 0.5 || pace.get<double>() > 60)
            return std::string("pace_seconds: expected 0.5 to 60");
        r.pace_seconds = pace.get<double>();
    }
    return r;
}

std::variant<reveal_state, std::string> apply_reveal(const reveal_state& now, const reveal_request& request, const contest& c) {
    reveal_state next = now;
    if (request.action == "start") {
        next.board = request.board.value_or("participants");
        if (!c.has_board(next.board)) return "board: contest \"" + c.id + "\" has no board \"" + next.board + "\"";
        next.active = true;
        next.rows = request.rows.value_or(10);
        next.step = 0;
        next.autoplay = false;
        next.pace_seconds = request.pace_seconds.value_or(now.pace_seconds);
        return next;
    }
    if (request.board || request.rows) return std::string(request.board ? "board" : "rows") + ": only a start names the board and rows";
    if (request.action == "stop") {
        next.active = false;
        next.autoplay = false;
        return next;
    }
    if (!now.active) return std::string("action: no reveal is running (start one first)");
    if (request.action == "next") next.step = std::min(now.rows, now.step + 1);
    else if (request.action == "back") next.step = std::max(0, now.step - 1);
    else if (request.action == "pause") next.autoplay = false;
    else if (request.action == "auto") {
        next.autoplay = true;
        next.pace_seconds = request.pace_seconds.value_or(now.pace_seconds);
    }
    if (next.step == next.rows) next.autoplay = false;  // nothing left to uncover
    return next;
}

}  // namespace lb::engine
