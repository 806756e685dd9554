#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "config_loader.hpp"
#include "loaded_config.hpp"
#include "homework.hpp"

using namespace lb::engine;
using nlohmann::json;

namespace {

// A camp of seven days with two assignments: the first due on day 3, the second on day 6.
json camp(const std::string& late = "refuse", const std::string& combine = "sum") {
    auto document = json::parse(R"({"admin_token_env": "LB_ADMIN_TOKEN", "contests": [{"id": "camp", "title": "Camp",
      "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-08T00:00:00Z", "repos": [],
      "participants": [{"id": "ann", "name": "Ann", "github": "ann-gh"}],
      "rules": {"components": [{"id": "homework", "weight": 0.5, "max": 100, "submissions": {"assignments": [
        {"id": "w1", "name": {"en": "Week 1", "zh": "第一周"}, "opens_at": "2026-12-01T00:00:00Z", "due_at": "2026-12-03T00:00:00Z"},
        {"id": "w2", "opens_at": "2026-12-03T00:00:00Z", "due_at": "2026-12-06T00:00:00Z"}]}}]}}]})");
    auto& submissions = document["contests"][0]["rules"]["components"][0]["submissions"];
    submissions["late"] = late;
    submissions["combine"] = combine;
    return document;
}

using lb::test::day;
constexpr unix_seconds start = lb::test::december_first;
config loaded(const json& document) { return lb::test::loaded_config(document); }

json body(std::string assignment, std::string url = "https://example.org/ann/w1") {
    return {{"component", "homework"}, {"assignment", std::move(assignment)}, {"url", std::move(url)}, {"note", "第一周的笔记"}};
}

}  // namespace

TEST_CASE("a component's homework is read from the config, and its mistakes named") {
    auto cfg = loaded(camp());
    const auto* rule = cfg.contests.at(0).find_component("homework");
    REQUIRE(rule);
    REQUIRE(rule->submissions);
    CHECK(rule->submissions->assignments.size() == 2);
    CHECK(rule->submissions->find("w1")->name.zh == "第一周");
    CHECK(rule->submissions->find("w2")->name.en == "w2");  // the id when the config names none
    CHECK_FALSE(rule->submissions->accept_late);
    CHECK_FALSE(rule->submissions->mean);

    auto broken = camp("sometimes", "median");
    auto& list = broken["contests"][0]["rules"]["components"][0]["submissions"]["assignments"];
    list[1]["id"] = "w1";
    list[0]["due_at"] = "2026-11-30T00:00:00Z";
    list.push_back({{"id", "w3"}, {"opens_at", "2026-12-01T00:00:00Z"}, {"due_at", "2026-12-20T00:00:00Z"}});
    auto result = load_config(broken);
    std::string errors;
    for (const auto& e : result.errors) errors += e.to_string() + "\n";
    const std::string base = "contests[0].rules.components[0].submissions";
    for (const auto& expected : {base + ".late", base + ".combine", base + ".assignments[1].id", base + ".assignments[0].due_at",
                                 base + ".assignments[2].due_at"})
        CHECK_MESSAGE(errors.find(expected + ":") != std::string::npos, expected << " missing in:\n" << errors);
}

TEST_CASE("a hand-in is taken while its assignment is open, late only when the config accepts it") {
    auto cfg = loaded(camp());
    const auto& c = cfg.contests.at(0);
    auto taken = read_hand_in(c, body("w1"), start + day);
    REQUIRE(std::holds_alternative<hand_in>(taken));
    auto h = std::get<hand_in>(taken);
    CHECK(h.id() == "homework:w1:");  // the route names the participant
    CHECK_FALSE(h.late);
    CHECK(h.note == "第一周的笔记");
    auto early = read_hand_in(c, body("w2"), start + day);
    REQUIRE(std::holds_alternative<write_refusal>(early));
    CHECK(std::get<write_refusal>(early).error == "not_open");
    auto late = read_hand_in(c, body("w1"), start + 3 * day);
    REQUIRE(std::holds_alternative<write_refusal>(late));
    CHECK(std::get<write_refusal>(late).error == "past_due");
    auto lenient = loaded(camp("accept"));
    auto accepted = read_hand_in(lenient.contests.at(0), body("w1"), start + 3 * day);
    REQUIRE(std::holds_alternative<hand_in>(accepted));
    CHECK(std::get<hand_in>(accepted).late);
    auto closed = read_hand_in(lenient.contests.at(0), body("w1"), start + 7 * day);
    REQUIRE(std::holds_alternative<write_refusal>(closed));
    CHECK(std::get<write_refusal>(closed).error == "contest_closed");
}

TEST_CASE("a hand-in's fields are checked one by one, each refusal naming its field") {
    auto cfg = loaded(camp());
    const auto& c = cfg.contests.at(0);
    auto field_of = [&](json b) {
        auto read = read_hand_in(c, b, start + day);
        REQUIRE(std::holds_alternative<write_refusal>(read));
        auto message = std::get<write_refusal>(read).message;
        return message.substr(0, message.find(':'));
    };
    CHECK(field_of({{"assignment", "w1"}, {"url", "https://x.org"}}) == "component");
    CHECK(field_of({{"component", "nope"}, {"assignment", "w1"}, {"url", "https://x.org"}}) == "component");
    CHECK(field_of({{"component", "homework"}, {"assignment", "w9"}, {"url", "https://x.org"}}) == "assignment");
    CHECK(field_of(body("w1", "javascript:alert(1)")) == "url");
    CHECK(field_of(body("w1", "https://x.org/" + std::string(600, 'a'))) == "url");
    CHECK(field_of(body("w1", "https://x.org/a b")) == "url");
    auto long_note = body("w1");
    long_note["note"] = std::string(501, 'n');
    CHECK(field_of(long_note) == "note");
    auto bad_note = body("w1");
    bad_note["note"] = 42;
    CHECK(field_of(bad_note) == "note");
}

TEST_CASE("a score is 0..max; a scored assignment is an award, its share of the mean when the config says so") {
    auto cfg = loaded(camp());
    const auto& c = cfg.contests.at(0);
    const auto& rule = *c.find_component("homework");
    CHECK(std::holds_alternative<write_refusal>(read_homework_score(rule, {{"points", 100.5}})));
    CHECK(std::holds_alternative<write_refusal>(read_homework_score(rule, {{"points", -1}})));
    CHECK(std::holds_alternative<write_refusal>(read_homework_score(rule, {{"points", "90"}})));
    CHECK(std::holds_alternative<write_refusal>(read_homework_score(rule, {{"points", 90}, {"comment", std::string(501, 'c')}})));
    auto score = read_homework_score(rule, {{"points", 87.5}, {"comment", "清楚"}});
    REQUIRE(std::holds_alternative<homework_score>(score));
    CHECK(std::get<homework_score>(score).points == 8750);

    hand_in h{"homework", "w1", "ann", "https://example.org/ann/w1", "", start + day};
    h.score = 8750;
    h.judge = "ana";
    const auto& ann = c.participants.at(0);
    auto summed = homework_award(c, ann, rule, h, 7, start + day);
    CHECK(summed.subject == "homework:homework:w1:ann");
    CHECK(summed.points == 8750);
    CHECK(summed.contributions.at(0) == contribution{"participants", "ann", 4375});  // weight 0.5
    CHECK(summed.contributions.at(1) == contribution{"component:homework", "ann", 8750});

    auto mean_cfg = loaded(camp("refuse", "mean"));
    const auto& mc = mean_cfg.contests.at(0);
    auto halved = homework_award(mc, mc.participants.at(0), *mc.find_component("homework"), h, 7, start + day);
    CHECK(halved.points == 4375);  // one of two assignments

    auto back = hand_in::from_text(h.to_json().dump());
    REQUIRE(back);
    CHECK(back->score == 8750);
    CHECK(back->id() == h.id());
    CHECK_FALSE(hand_in::from_text("{\"component\": 1}"));
    CHECK_FALSE(hand_in::from_text("not json"));
}

TEST_CASE("a hand-in id names its component, assignment and participant, nothing else") {
    auto key = read_hand_in_id("homework:w1:ann");
    REQUIRE(key);
    CHECK(key->participant == "ann");
    CHECK_FALSE(read_hand_in_id("homework:w1"));
    CHECK_FALSE(read_hand_in_id("homework:w1:ann:x"));
    CHECK_FALSE(read_hand_in_id("home work:w1:ann"));
    CHECK_FALSE(read_hand_in_id(""));
}
