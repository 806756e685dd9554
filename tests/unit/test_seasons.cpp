#include <doctest/doctest.h>

#include "community.hpp"
#include "config_loader.hpp"
#include "seasons.hpp"
#include "untrusted_json.hpp"

using namespace lb::engine;
using nlohmann::json;

namespace {

unix_seconds at(const char* text) { return *parse_rfc3339(text); }

json two_contests() {
    auto contest = [](const char* id) {
        return json{{"id", id}, {"title", id}, {"starts_at", "2026-01-01T00:00:00Z"}, {"ends_at", "2026-03-01T00:00:00Z"},
                    {"repos", {"github:o/r"}}, {"teams", json::array()}, {"participants", json::array()},
                    {"rules", {{"pull_requests", {{"base_points", 1}}}}}};
    };
    return {{"admin_token_env", "T"}, {"community", {{"id_prefix", "MSG-"}}}, {"contests", {contest("winter"), contest("spring")}}};
}

}  // namespace

TEST_CASE("a person's chapter at a time is the membership in force then") {
    auto person = json::parse(R"({"memberships": [
        {"kind": "city", "chapter": "Shanghai", "since": 2000, "until": 3000},
        {"kind": "city", "chapter": "Beijing", "since": 3000},
        {"kind": "school", "chapter": "PKU", "since": 1000},
        {"kind": "city", "chapter": "", "since": 1}, {"kind": "city"}]})");
    auto memberships = read_memberships(person);
    REQUIRE(memberships.size() == 3);  // the two malformed ones are skipped
    CHECK(chapter_at(memberships, "city", 1500) == "Shanghai");  // before the first: the first
    CHECK(chapter_at(memberships, "city", 2999) == "Shanghai");
    CHECK(chapter_at(memberships, "city", 3000) == "Beijing");   // the move's instant belongs to the new one
    CHECK(chapter_at(memberships, "school", 99999) == "PKU");
    CHECK(chapter_at(memberships, "company", 2000).empty());
    CHECK(moved_within(memberships, "city"));
    CHECK_FALSE(moved_within(memberships, "school"));
    // A membership that ended with no new one: what was held last.
    auto ended = read_memberships(json::parse(R"({"memberships": [{"kind": "city", "chapter": "Xi'an", "since": 10, "until": 20}]})"));
    CHECK(chapter_at(ended, "city", 50) == "Xi'an");
}

TEST_CASE("a person's facts read from the stored text agree with the JSON reader, odd shapes included") {
    const char* texts[] = {
        R"({"registered_at": 1795132800, "memberships": [
            {"kind": "city", "chapter": "Shanghai", "since": 2000, "until": 3000}, {"kind": "city", "chapter": "北京", "since": 3000},
            {"kind": "school", "chapter": "PKU", "since": 1000}, {"kind": "city", "chapter": "", "since": 1}, {"kind": "city"},
            {"kind": "city", "chapter": "X", "since": 1.5}, {"kind": "city", "chapter": "Y", "since": "5"}, 7, null,
            {"kind": 3, "chapter": "Z", "since": 9}, {"kind": "city", "chapter": "W", "since": 8, "until": "later"}]})",
        R"({"registered_at": 1.5e9, "memberships": {"kind": "city"}})",
        R"({"registered_at": -20, "memberships": []})",
        R"({"name": "no memberships at all"})",
        R"({"registered_at": 18446744073709551615, "memberships": [{"kind": "city", "chapter": "Big", "since": 9223372036854775807}]})"};
    for (const char* text : texts) {
        CAPTURE(text);
        auto facts = read_member_facts(text);
        REQUIRE(facts);
        auto record = json::parse(text);
        auto memberships = read_memberships(record);
        REQUIRE(facts->memberships.size() == memberships.size());
        for (std::size_t i = 0; i < memberships.size(); ++i) {
            CHECK(facts->memberships[i].kind == memberships[i].kind);
            CHECK(facts->memberships[i].chapter == memberships[i].chapter);
            CHECK(facts->memberships[i].since == memberships[i].since);
            CHECK(facts->memberships[i].until == memberships[i].until);
        }
        auto registered = integer_at(record, "registered_at");
        CHECK(facts->registered_at == (registered ? std::optional<unix_seconds>(*registered) : std::nullopt));
    }
    auto first = read_member_facts(texts[0]);
    REQUIRE(first->memberships.size() == 4);  // the malformed ones are skipped; sorted by since
    CHECK(first->memberships[0].chapter == "W");  // an until that is not a time: no end
    CHECK_FALSE(first->memberships[0].until);
    CHECK(first->memberships[1].chapter == "PKU");
    CHECK(first->memberships[3].chapter == "北京");
    CHECK_FALSE(read_member_facts("[1, 2]"));
    CHECK_FALSE(read_member_facts("{\"memberships\": "));
    CHECK_FALSE(read_member_facts(""));
}

TEST_CASE("season totals are weighted to the hundredth and ranked strictly") {
    CHECK(weighted(1000, 1.0) == 1000);
    CHECK(weighted(1001, 0.5) == 501);  // 500.5 rounds away from zero
    CHECK(weighted(-1001, 0.5) == -501);
    CHECK(weighted(333, 1.5) == 500);   // 499.5
    std::map<std::string, season_total> totals{{"MSG-3", {500, 30}}, {"MSG-1", {500, 20}}, {"MSG-2", {900, 50}}, {"MSG-0", {500, 20}}};
    auto rows = rank_season(totals);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].id == "MSG-2");
    CHECK(rows[1].id == "MSG-0");  // same points and time: by id
    CHECK(rows[2].id == "MSG-1");
    CHECK(rows[3].id == "MSG-3");  // reached 500 later
    CHECK(rows[3].rank == 4);
}

TEST_CASE("seasons in the config name existing contests once, with weights in range") {
    auto document = two_contests();
    document["seasons"] = json::parse(R"([{"id": "2026", "title": {"en": "Season 2026", "zh": "2026 赛季"},
        "contests": [{"id": "winter", "weight": 1}, {"id": "spring", "weight": 0.5}]}])");
    auto loaded = load_config(document);
    REQUIRE(loaded.errors.empty());
    const season* s = loaded.value.find_season("2026");
    REQUIRE(s);
    CHECK(s->title.zh == "2026 赛季");
    CHECK(s->contests[1].weight == 0.5);
    CHECK_FALSE(loaded.value.find_season("2027"));

    document["seasons"] = json::parse(R"([{"id": "Bad Id", "title": "x", "contests": [{"id": "summer"}, {"id": "winter", "weight": 0},
        {"id": "winter"}]}, {"id": "b", "title": "y", "contests": []}])");
    auto bad = load_config(document);
    std::vector<std::string> paths;
    for (const auto& e : bad.errors) paths.push_back(e.path);
    CHECK(paths == std::vector<std::string>{"seasons[0].id", "seasons[0].contests[0].id", "seasons[0].contests[1].weight",
                                            "seasons[0].contests[2].id", "seasons[1].contests"});
    std::string kind;
    CHECK(season_board("people", kind));
    CHECK(kind.empty());
    CHECK(season_board("chapters:school", kind));
    CHECK(kind == "school");
    CHECK_FALSE(season_board("chapters:planet", kind));
    CHECK_FALSE(season_board("teams", kind));
}

TEST_CASE("a chapter move names its kind, chapter and time, and nothing else") {
    auto field = [](const json& body) {
        auto read = read_chapter_move(body);
        auto* error = std::get_if<sign_up_error>(&read);
        return error ? error->field : "";
    };
    auto read = read_chapter_move(json{{"kind", "city"}, {"chapter", "北京"}, {"since", "2026-02-01T00:00:00+08:00"}});
    REQUIRE(std::holds_alternative<chapter_move>(read));
    CHECK(std::get<chapter_move>(read).since == at("2026-01-31T16:00:00Z"));
    CHECK(std::get<chapter_move>(read).chapter == "北京");
    CHECK_FALSE(std::get<chapter_move>(read_chapter_move(json{{"kind", "school"}, {"chapter", "PKU"}})).since);
    CHECK(field(json{{"chapter", "x"}}) == "kind");
    CHECK(field(json{{"kind", "planet"}, {"chapter", "x"}}) == "kind");
    CHECK(field(json{{"kind", "city"}}) == "chapter");
    CHECK(field(json{{"kind", "city"}, {"chapter", std::string(65, 'x')}}) == "chapter");
    CHECK(field(json{{"kind", "city"}, {"chapter", "a\tb"}}) == "chapter");
    CHECK(field(json{{"kind", "city"}, {"chapter", "x"}, {"since", "yesterday"}}) == "since");
    CHECK(field(json{{"kind", "city"}, {"chapter", "x"}, {"since", 5}}) == "since");
    CHECK(field(json{{"kind", "city"}, {"chapter", "x"}, {"who", "me"}}) == "who");
    CHECK(field(json::array()) == "(body)");
}
