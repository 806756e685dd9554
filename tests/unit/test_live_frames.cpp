#include <doctest/doctest.h>

#include "live/live_frames.hpp"

using namespace lb::gateway;
using lb::engine::standings_row;

TEST_CASE("row diffs carry moved, new and departed rows only") {
    std::vector<standings_row> before{{1, "a", 1100, 10}, {2, "b", 300, 20}, {3, "c", 100, 30}};
    std::vector<standings_row> after{{1, "b", 1400, 40}, {2, "a", 1100, 10}, {3, "d", 200, 50}};
    auto diff = diff_rows(before, after);
    std::vector<std::string> changed;
    for (const auto& row : diff.changed) changed.push_back(row.id);
    CHECK(changed == std::vector<std::string>{"b", "a", "d"});
    CHECK(diff.removed == std::vector<std::string>{"c"});
    CHECK(diff_rows(after, after).empty());
}

TEST_CASE("subscriptions from the query string and from messages") {
    auto ok = parse_subscription({{"contest", "geekweek"}, {"board", "teams:city"}, {"limit", "10"}, {"me", "shanghai"}});
    REQUIRE(std::holds_alternative<subscription>(ok));
    CHECK(std::get<subscription>(ok).limit == 10);
    struct row { std::map<std::string, std::string> query; std::string error; };
    const row rows[] = {
        {{{"board", "teams"}}, "contest: required"},
        {{{"contest", "x"}, {"limit", "0"}}, "limit: expected 1 to 200"},
        {{{"contest", "x"}, {"limit", "201"}}, "limit: expected 1 to 200"},
        {{{"contest", "x"}, {"board", "a b"}}, "board: not a board name"},
        {{{"contest", "x"}, {"me", "<script>"}}, "me: not an id"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.error);
        auto parsed = parse_subscription(r.query);
        REQUIRE(std::holds_alternative<std::string>(parsed));
        CHECK(std::get<std::string>(parsed) == r.error);
    }
    auto message = parse_subscribe_message(nlohmann::json{{"type", "subscribe"}, {"contest", "x"}, {"limit", "ten"}});
    CHECK(std::get<std::string>(message) == "limit: expected 1 to 200");
    CHECK(std::holds_alternative<std::string>(parse_subscribe_message(nlohmann::json::array())));
}

TEST_CASE("screen events clip long titles at a character boundary and name the team") {
    lb::engine::contest c;
    c.id = "x";
    c.teams = {{"shanghai", {"Shanghai", "上海"}, lb::engine::team_kind::city}};
    c.participants = {{"alice", "Alice", {{"github", "alice"}}, "", {"shanghai"}}};
    c.build_indexes();
    std::string title;
    for (int i = 0; i < 200; ++i) title += "修";  // 3 bytes each
    nlohmann::json event{{"id", "1-0"}, {"kind", "pull_request"}, {"participant", "alice"}, {"delta", 11},
                         {"details", {{"host", "github"}, {"repo", "o/r"}, {"number", 5}, {"url", "https://x/5"}, {"title", title}}}};
    auto shown = screen_event(c, event);
    CHECK(shown["source"] == "github");
    CHECK(shown["participant_name"] == "Alice");
    CHECK(shown["team"]["name_zh"] == "上海");
    auto clipped = shown["title"].get<std::string>();
    CHECK(clipped.size() <= max_title_bytes + 3);
    CHECK(clipped.ends_with("…"));
    CHECK(nlohmann::json(clipped).dump().size() > 0);  // still valid UTF-8
    CHECK_FALSE(shown.contains("details"));
}

TEST_CASE("update frames keep only the latest events") {
    lb::engine::contest c;
    c.id = "x";
    c.build_indexes();
    nlohmann::json events = nlohmann::json::array();
    for (int i = 0; i < 120; ++i) events.push_back({{"id", std::to_string(i)}});
    auto frame = nlohmann::json::parse(update_frame(c, "participants", 7, {}, 0, false, events));
    CHECK(frame["type"] == "update");
    CHECK(frame["seq"] == 7);
    CHECK(frame["events"].size() == max_frame_events);
    CHECK(frame["events"].back()["id"] == "119");
}
