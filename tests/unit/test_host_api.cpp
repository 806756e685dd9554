#include <doctest/doctest.h>

#include "host_api.hpp"
#include "recording.hpp"

using namespace lb::webhooks;

TEST_CASE("a GitHub pulls page keeps the merged, skips the closed-unmerged and names a bad item") {
    std::string body = R"([
      {"number": 7, "html_url": "https://github.com/o/r/pull/7", "title": "fix", "user": {"login": "ann"},
       "labels": [{"name": "bug"}], "updated_at": "2026-11-26T10:00:00Z", "merged_at": "2026-11-26T09:00:00Z"},
      {"number": 8, "html_url": "https://github.com/o/r/pull/8", "title": "wip", "user": {"login": "bob"},
       "labels": [], "updated_at": "2026-11-26T08:00:00Z", "merged_at": null},
      {"number": 9, "html_url": "https://github.com/o/r/pull/9", "user": "nobody", "labels": [],
       "updated_at": "2026-11-26T07:00:00Z", "merged_at": null}
    ])";
    auto read = read_pull_list("github", "o/r", body);
    REQUIRE(std::holds_alternative<pull_list>(read));
    const auto& list = std::get<pull_list>(read);
    CHECK(list.listed == 3);
    REQUIRE(list.merged.size() == 1);
    CHECK(list.merged[0].subject() == "github:o/r#7");
    CHECK(list.merged[0].labels == std::vector<std::string>{"bug"});
    CHECK(list.merged[0].updated_at > *list.merged[0].merged_at);
    REQUIRE(list.errors.size() == 1);
    CHECK(list.errors[0] == "[2].user.login: expected a string");
    CHECK(*list.oldest_update < list.merged[0].updated_at);
}

TEST_CASE("a page that is not a JSON array is refused whole") {
    CHECK(std::get<std::string>(read_pull_list("gitee", "o/r", R"({"message":"Not Found"})")) == "(body): expected a JSON array");
    CHECK(std::holds_alternative<std::string>(read_hook_deliveries("[{\"id\": 1}]")));
    CHECK(std::holds_alternative<std::string>(read_repo_hooks("not json")));
}

TEST_CASE("the Link header's next page") {
    CHECK(next_link(R"(<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=9>; rel="last")") ==
          "https://api.github.com/x?page=2");
    CHECK(next_link(R"(<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next")") ==
          "https://api.github.com/x?page=3");
    CHECK(next_link(R"(<https://api.github.com/x?page=1>; rel="first")").empty());
    CHECK(next_link("").empty());
    CHECK(next_link("<unclosed; rel=\"next\"").empty());
}

TEST_CASE("only deliveries that never got a 2xx are redelivered, each once, at its latest attempt") {
    std::vector<hook_delivery> all = {
        {1, "a", 100, 502, "pull_request"}, {2, "a", 200, 200, "pull_request"},  // failed, then got through
        {3, "b", 100, 0, "pull_request"},   {4, "b", 300, 504, "pull_request"},  // failed twice: ask for the latest
        {5, "c", 100, 500, "issues"},                                          // not ours to score
        {6, "d", 150, 201, "pull_request"}};
    auto again = deliveries_to_redeliver(all, "pull_request");
    REQUIRE(again.size() == 1);
    CHECK(again[0].id == 4);
}

TEST_CASE("a recording reads back whole, or not at all with the line that is wrong") {
    std::string award = R"({"at":1764547200,"component":"adjustments","contrib":[["participants","ann",500]],"details":{"actor":"admin"},)"
                        R"("kind":"adjustment","participant":"ann","points":500,"reason":"talk","subject":"adjustment:1","version":1})";
    std::string text = lb::engine::recording_header("week", 1764547200, 2) + "\n" + lb::engine::recording_line(1000, award) + "\n" +
                       lb::engine::recording_line(2000, award) + "\n";
    auto read = lb::engine::read_recording(text);
    REQUIRE(std::holds_alternative<lb::engine::recording>(read));
    const auto& rec = std::get<lb::engine::recording>(read);
    CHECK(rec.contest == "week");
    CHECK(rec.starts_at == 1764547200);
    REQUIRE(rec.awards.size() == 2);
    CHECK(rec.awards[1].t_ms == 2000);
    CHECK(lb::engine::shift_award(rec.awards[0].value, 86400).at == 1764547200 + 86400);
    auto backwards = lb::engine::recording_header("week", std::nullopt, 2) + "\n" + lb::engine::recording_line(2000, award) + "\n" +
                     lb::engine::recording_line(1000, award) + "\n";
    CHECK(std::get<std::string>(lb::engine::read_recording(backwards)).starts_with("line 3: t: earlier"));
    CHECK(std::get<std::string>(lb::engine::read_recording("")) == "line 1: expected the header {\"recording\": 1, ...}");
}
