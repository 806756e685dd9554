#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "config_loader.hpp"
#include "presentation_config.hpp"
#include "stage_reveal.hpp"

using namespace lb::engine;
using nlohmann::json;

namespace {

const contest& sample() {
    static const config loaded = [] {
        auto result = load_config(json::parse(R"({"admin_token_env": "T", "contests": [{"id": "c", "title": "C",
          "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-08T00:00:00Z", "repos": [],
          "rules": {"pull_requests": {"base_points": 1}}}]})"));
        REQUIRE(result.errors.empty());
        return result.value;
    }();
    return loaded.contests.at(0);
}

reveal_state step(const reveal_state& now, const json& body) {
    auto request = parse_reveal_request(body);
    REQUIRE(std::holds_alternative<reveal_request>(request));
    auto next = apply_reveal(now, std::get<reveal_request>(request), sample());
    REQUIRE(std::holds_alternative<reveal_state>(next));
    return std::get<reveal_state>(next);
}

std::string refusal(const reveal_state& now, const json& body) {
    auto request = parse_reveal_request(body);
    if (auto* error = std::get_if<std::string>(&request)) return *error;
    auto next = apply_reveal(now, std::get<reveal_request>(request), sample());
    auto* error = std::get_if<std::string>(&next);
    return error ? *error : "";
}

}  // namespace

TEST_CASE("a reveal starts covered, steps down to the winner and no further, and goes back") {
    auto s = step({}, {{"action", "start"}, {"rows", 3}});
    CHECK(s.active);
    CHECK(s.step == 0);
    CHECK(s.board == "participants");
    for (int i = 0; i < 5; ++i) s = step(s, {{"action", "next"}});
    CHECK(s.step == 3);
    s = step(s, {{"action", "back"}});
    CHECK(s.step == 2);
    s = step(s, {{"action", "stop"}});
    CHECK_FALSE(s.active);
}

TEST_CASE("autoplay keeps its pace and ends with the last row") {
    auto s = step({}, {{"action", "start"}, {"rows", 2}, {"board", "teams:city"}});
    s = step(s, {{"action", "auto"}, {"pace_seconds", 1.5}});
    CHECK(s.autoplay);
    CHECK(s.pace_seconds == 1.5);
    s = step(step(s, {{"action", "next"}}), {{"action", "next"}});
    CHECK_FALSE(s.autoplay);
    CHECK(s.board == "teams:city");
}

TEST_CASE("a reveal request of the wrong shape is refused naming the field") {
    CHECK(refusal({}, json::array()) == "(body): expected a JSON object");
    CHECK(refusal({}, {{"action", "dance"}}) == "action: expected start, next, back, auto, pause or stop");
    CHECK(refusal({}, {{"action", 5}}) == "action: expected start, next, back, auto, pause or stop");
    CHECK(refusal({}, {{"action", "start"}, {"rows", 0}}) == "rows: expected a whole number from 1 to 200");
    CHECK(refusal({}, {{"action", "start"}, {"rows", 2.5}}) == "rows: expected a whole number from 1 to 200");
    CHECK(refusal({}, {{"action", "auto"}, {"pace_seconds", 0.1}}) == "pace_seconds: expected 0.5 to 60");
    CHECK(refusal({}, {{"action", "start"}, {"board", "teams:mars"}}) == "board: contest \"c\" has no board \"teams:mars\"");
    CHECK(refusal({}, {{"action", "start"}, {"actor", "me"}}) == "actor: not a field of a reveal request");
    CHECK(refusal({}, {{"action", "next"}}) == "action: no reveal is running (start one first)");
    auto running = step({}, {{"action", "start"}});
    CHECK(refusal(running, {{"action", "next"}, {"rows", 3}}) == "rows: only a start names the board and rows");
}

TEST_CASE("a stored reveal reads back whatever the store holds") {
    auto s = reveal_state::from_json(json::parse(R"({"active": true, "rows": 500, "step": 900, "board": 7})"));
    CHECK(s.rows == max_reveal_rows);
    CHECK(s.step == s.rows);
    CHECK(s.board == "participants");
    CHECK_FALSE(reveal_state::from_json(json("text")).active);
}

TEST_CASE("logos are plain file names of image types") {
    CHECK(logo_content_type("geekweek.svg") == "image/svg+xml");
    CHECK(logo_content_type("team-1.png") == "image/png");
    CHECK_FALSE(logo_content_type("../x.png"));
    CHECK_FALSE(logo_content_type(".hidden.png"));
    CHECK_FALSE(logo_content_type("a/b.png"));
    CHECK_FALSE(logo_content_type("x.html"));
    CHECK_FALSE(logo_content_type(".png"));
    CHECK_FALSE(logo_content_type("x.svg.exe"));
}
