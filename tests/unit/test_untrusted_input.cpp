// Parsers of outside bytes other than the request target: JSON bodies, viewers'
// messages, spool lines, CSV uploads.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "award.hpp"
#include "csv.hpp"
#include "roster_rows.hpp"
#include "live/live_frames.hpp"
#include "spool_record.hpp"
#include "untrusted_json.hpp"

using namespace lb::engine;

TEST_CASE("untrusted JSON: depth checked before parsing, duplicates and bad text refused") {
    CHECK(parse_untrusted_json(R"({"a": [1, {"b": null}]})").ok());
    auto deep = std::string(33, '[') + std::string(33, ']');
    CHECK(parse_untrusted_json(deep).error == "nested deeper than 32 levels");
    CHECK(parse_untrusted_json(std::string(32, '[') + std::string(32, ']')).ok());
    // Brackets inside strings do not count.
    CHECK(parse_untrusted_json("[\"" + std::string(100, '[') + "\"]").ok());
    CHECK(parse_untrusted_json(std::string(1'000'000, '[')).error == "nested deeper than 32 levels");
    CHECK(parse_untrusted_json(R"({"a": 1, "a": 2})").error == "duplicate key \"a\"");
    CHECK(parse_untrusted_json(R"({"x": {"a": 1}, "y": {"a": 2}})").ok());  // the same key in two objects is fine
    for (const char* bad : {"", "{", "[1,]", "1e999", "\"\xff\"", "\"\\ud800\"", "NaN", "{\"a\":1} trailing"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_untrusted_json(bad).ok());
    }
}

TEST_CASE("typed reads never throw, whatever the member holds") {
    auto j = nlohmann::json::parse(R"({"s": "x", "i": 5, "f": 1.5, "b": true, "n": null, "big": 18446744073709551615,
                                       "a": ["x", 1], "o": {}})");
    CHECK(string_at(j, "s") == "x");
    CHECK_FALSE(string_at(j, "i"));
    CHECK(integer_at(j, "i") == 5);
    CHECK_FALSE(integer_at(j, "f"));
    CHECK_FALSE(integer_at(j, "big"));
    CHECK(number_at(j, "f") == 1.5);
    CHECK_FALSE(number_at(j, "s"));
    CHECK(bool_at(j, "b") == true);
    CHECK_FALSE(bool_at(j, "n"));
    CHECK_FALSE(strings_at(j, "a"));
    CHECK(object_at(j, "o"));
    CHECK_FALSE(array_at(j, "o"));
    CHECK_FALSE(string_at(nlohmann::json::array(), "s"));
    CHECK_FALSE(string_at(nlohmann::json("text"), "s"));
}

TEST_CASE("a viewer's messages: every field of the wrong type is named") {
    using namespace lb::gateway;
    auto ok = parse_client_message(R"({"type":"subscribe","contest":"c","board":"teams","limit":10,"me":"x"})");
    REQUIRE(std::holds_alternative<client_message>(ok));
    CHECK(std::get<client_message>(ok).sub.limit == 10);
    CHECK(std::get<client_message>(parse_client_message(R"({"type":"resync"})")).type == client_message::kind::resync);
    struct row { const char* text; const char* error; };
    const row rows[] = {
        {R"({"type": 5})", "type: expected \"subscribe\" or \"resync\""},
        {R"({"type": ["subscribe"]})", "type: expected \"subscribe\" or \"resync\""},
        {R"({"type":"subscribe","contest":7})", "contest: expected a string"},
        {R"({"type":"subscribe","contest":"c","board":{}})", "board: expected a string"},
        {R"({"type":"subscribe","contest":"c","limit":"10"})", "limit: expected 1 to 200"},
        {R"({"type":"subscribe","contest":"c","limit":1e300})", "limit: expected 1 to 200"},
        {R"({"type":"subscribe","contest":"c","limit":4294967297})", "limit: expected 1 to 200"},
        {R"({"type":"subscribe","contest":"c","limit":-1})", "limit: expected 1 to 200"},
        {R"({"type":"subscribe","contest":"c","admin_token":false})", "admin_token: expected a string"},
        {R"([1,2])", "(message): expected a JSON object"},
        {R"({"type":"resync","type":"subscribe"})", "(message): duplicate key \"type\""},
        {"[[[[[[]]]]]]", "(message): nested deeper than 4 levels"},
        {"not json", "(message): not valid JSON (or not UTF-8, or a number beyond range)"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.text);
        auto parsed = parse_client_message(r.text);
        REQUIRE(std::holds_alternative<std::string>(parsed));
        CHECK(std::get<std::string>(parsed) == r.error);
    }
}

TEST_CASE("spool lines are read back whole or refused with the reason") {
    using namespace lb::webhooks;
    pull_request_facts pr;
    pr.host = "github";
    pr.repo = "o/r";
    pr.number = 3;
    pr.author = "ann";
    pr.labels = {"bug"};
    pr.merged = true;
    pr.merged_at = 1764547200;
    pr.updated_at = 1764547200;
    auto line = spool_record_line({"github:abc-1", pr});
    auto back = read_spool_record(line);
    REQUIRE(std::holds_alternative<spool_record>(back));
    CHECK(std::get<spool_record>(back).pr.subject() == pr.subject());
    auto record = nlohmann::json::parse(line);
    auto with = [&](const char* where, const char* key, nlohmann::json value) {
        auto copy = record;
        (std::string(where) == "pr" ? copy["pr"][key] : copy[key]) = std::move(value);
        return copy.dump();
    };
    for (const auto& bad : {with("", "delivery", 5), with("", "delivery", "svn:1"), with("", "delivery", "github:a b"),
                            with("pr", "number", "3"), with("pr", "labels", "bug"), with("pr", "merged", 1),
                            with("pr", "host", "bitbucket"), std::string("{\"delivery\":\"github:x\"}"), std::string("\xff"),
                            std::string("")}) {
        CAPTURE(bad);
        CHECK(std::holds_alternative<std::string>(read_spool_record(bad)));
    }
}

TEST_CASE("CSV uploads must be UTF-8; the error names the line") {
    auto table = parse_csv("id,name\nann,Ann\nbob,B\xe9\x62\n");
    CHECK(table.error == "line 3: not UTF-8 text (save the file as \"CSV UTF-8\")");
    CHECK(parse_csv("\xEF\xBB\xBFid,name\nann,上海\n").error.empty());
}

TEST_CASE("JSON roster rows cannot pose as CSV lines") {
    // From a fuzzer crash: "_line" is where a CSV row came from; a JSON row holding one of
    // another type made naming the row throw.
    roster current({{"shanghai", {"Shanghai", "上海"}, team_kind::city}}, {});
    auto people = parse_participant_import(current, "application/json", R"([{"vnid":"bob","name":"bob","_line":["shanghai"]}])");
    REQUIRE_FALSE(people.errors.empty());
    CHECK(people.errors.front().starts_with("[0]"));
    auto teams = parse_team_import(current, "application/json", R"([{"id":"x","kind":"city","name_zh":5,"_line":1}])");
    REQUIRE_FALSE(teams.errors.empty());
    CHECK(teams.errors.front().starts_with("[0]"));
}
