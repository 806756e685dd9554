#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "config_loader.hpp"
#include "loaded_config.hpp"
#include "votes.hpp"

using namespace lb::engine;
using nlohmann::json;

// Named, so that the unity build keeps these helpers apart from other files' of the same name.
namespace votes_test {

namespace {

// A camp whose "vote" opens on 5 December (start + 4 days) and closes on the 7th (start + 6 days); four participants hand in entries.
json voting_camp(json vote) {
    auto document = json::parse(R"({"admin_token_env": "LB_ADMIN_TOKEN", "contests": [{"id": "camp", "title": "Camp",
      "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-08T00:00:00Z", "repos": [],
      "participants": [{"id": "ann", "name": "Ann", "github": "ann-gh"}, {"id": "bo", "name": "Bo", "github": "bo-gh"},
                       {"id": "cy", "name": "Cy", "github": "cy-gh"}, {"id": "di", "name": "Di", "github": "di-gh"}],
      "rules": {"components": [{"id": "vote", "kind": "votes", "weight": 0.2, "max": 100}]}}]})");
    json base{{"opens_at", "2026-12-05T00:00:00Z"}, {"closes_at", "2026-12-07T00:00:00Z"}};
    base.update(vote);
    document["contests"][0]["rules"]["components"][0]["vote"] = base;
    return document;
}

using lb::test::day;
constexpr unix_seconds start = lb::test::december_first;
config loaded(const json& document) { return lb::test::loaded_config(document); }

std::string errors_of(const json& document) {
    std::string out;
    for (const auto& e : load_config(document).errors) out += e.to_string() + "\n";
    return out;
}

ballot cast(std::string voter, std::vector<std::string> entries, unix_seconds at = start + 5 * day, std::string client = "") {
    ballot b;
    b.voter = std::move(voter);
    b.entries = std::move(entries);
    b.cast_at = at;
    b.client = std::move(client);
    return b;
}

const std::set<std::string> four{"ann", "bo", "cy", "di"};

}  // namespace

TEST_CASE("a vote is read from the config, and its mistakes named") {
    auto cfg = loaded(voting_camp({{"k", 3}, {"ballot", "ranked"}, {"voters", "members_joined_before_open"}, {"show_tallies", "live"}}));
    const auto* rule = find_vote(cfg.contests.at(0), "vote");
    REQUIRE(rule);
    CHECK(rule->vote->k == 3);
    CHECK(rule->vote->ranked);
    CHECK(rule->vote->joined_before_open);
    CHECK(rule->vote->live_tallies);
    CHECK(rule->vote->closes_at - rule->vote->opens_at == 2 * day);
    CHECK_FALSE(rule->vote->per_vote);

    auto plain = loaded(voting_camp(json::object()));
    const auto* defaults = find_vote(plain.contests.at(0), "vote");
    REQUIRE(defaults);
    CHECK(defaults->vote->k == 1);
    CHECK_FALSE(defaults->vote->ranked);
    CHECK_FALSE(defaults->vote->live_tallies);

    auto errors = errors_of(voting_camp({{"k", 11}, {"ballot", "plurality"}, {"voters", "anyone"}, {"show_tallies", "never"},
                                         {"closes_at", "2026-12-04T00:00:00Z"}, {"points_per_vote", -1}}));
    CHECK(errors.find("vote.k: expected a whole number from 1 to 10") != std::string::npos);
    CHECK(errors.find("vote.ballot") != std::string::npos);
    CHECK(errors.find("vote.voters") != std::string::npos);
    CHECK(errors.find("vote.show_tallies") != std::string::npos);
    CHECK(errors.find("vote.closes_at: must be after opens_at") != std::string::npos);
    CHECK(errors.find("vote.points_per_vote: must be positive") != std::string::npos);
    CHECK(errors_of(voting_camp({{"closes_at", "2026-12-09T00:00:00Z"}})).find("no later than the contest's ends_at") != std::string::npos);

    auto no_window = voting_camp(json::object());
    no_window["contests"][0]["rules"]["components"][0].erase("vote");
    CHECK(errors_of(no_window).find("components[0].vote: is required") != std::string::npos);
    auto judged = voting_camp(json::object());
    judged["contests"][0]["rules"]["components"][0]["kind"] = "judged";
    CHECK(errors_of(judged).find("only a component of \"kind\": \"votes\" has a vote") != std::string::npos);
}

TEST_CASE("an entry is a link and a title, handed in until the vote opens") {
    auto cfg = loaded(voting_camp(json::object()));
    const auto& rule = *find_vote(cfg.contests.at(0), "vote");
    auto ok = read_vote_entry(rule, {{"url", "https://example.org/ann.mp4"}, {"title", "我的学习笔记"}}, start + day);
    REQUIRE(std::holds_alternative<vote_entry>(ok));
    CHECK(std::get<vote_entry>(ok).title == "我的学习笔记");
    auto bad_url = read_vote_entry(rule, {{"url", "javascript:alert(1)"}, {"title", "x"}}, start + day);
    CHECK(std::get<write_refusal>(bad_url).message.starts_with("url:"));
    auto no_title = read_vote_entry(rule, {{"url", "https://example.org"}, {"title", ""}}, start + day);
    CHECK(std::get<write_refusal>(no_title).message.starts_with("title:"));
    auto control = read_vote_entry(rule, {{"url", "https://example.org"}, {"title", "a\nb"}}, start + day);
    CHECK(std::get<write_refusal>(control).message.starts_with("title:"));
    auto late = read_vote_entry(rule, {{"url", "https://example.org"}, {"title", "t"}}, start + 5 * day);
    CHECK(std::get<write_refusal>(late).error == "vote_open");
}

TEST_CASE("a ballot names 1 to k distinct entries, never the voter's own, inside the window") {
    auto cfg = loaded(voting_camp({{"k", 2}}));
    const auto& rule = *find_vote(cfg.contests.at(0), "vote");
    auto now = start + 5 * day;
    auto ok = read_ballot(rule, {{"entries", {"bo", "cy"}}}, four, "ann", now);
    REQUIRE(std::holds_alternative<ballot>(ok));
    CHECK(std::get<ballot>(ok).entries == std::vector<std::string>{"bo", "cy"});
    CHECK(std::get<ballot>(ok).cast_at == now);

    auto refusal = [&](json body, std::string own = "ann", unix_seconds at = start + 5 * day) {
        auto read = read_ballot(rule, body, four, own, at);
        REQUIRE(std::holds_alternative<write_refusal>(read));
        return std::get<write_refusal>(read);
    };
    CHECK(refusal({{"entries", {"bo", "cy", "di"}}}).message == "entries: expected an array of 1 to 2 participant ids");
    CHECK(refusal({{"entries", json::array()}}).error == "bad_field");
    CHECK(refusal({{"entries", "bo"}}).error == "bad_field");
    CHECK(refusal(json::object()).error == "bad_field");
    CHECK(refusal({{"entries", {"bo", "bo"}}}).message == "entries[1]: \"bo\" is named twice");
    CHECK(refusal({{"entries", {"bo", "zed"}}}).message.starts_with("entries[1]: expected the participant id of an entry"));
    CHECK(refusal({{"entries", {"bo", 7}}}).message.starts_with("entries[1]:"));
    auto own = refusal({{"entries", json::array({"ann"})}});
    CHECK(own.status == 403);
    CHECK(own.error == "own_entry");
    CHECK(refusal({{"entries", json::array({"bo"})}}, "ann", start + 4 * day - 1).error == "not_open");
    CHECK(refusal({{"entries", json::array({"bo"})}}, "ann", start + 6 * day).error == "vote_closed");
}

TEST_CASE("a tally counts approvals, or k..1 for a ranked ballot, and leaves voided ballots out") {
    vote_rules approval;
    approval.k = 2;
    std::vector<ballot> ballots{cast("m1", {"bo", "cy"}), cast("m2", {"bo"}), cast("m3", {"cy", "di"}), cast("m4", {"di", "gone"})};
    ballots[3].voided = true;
    auto tally = count_ballots(approval, ballots, four);
    CHECK(tally.ballots == 3);
    CHECK(tally.votes["bo"] == 2);
    CHECK(tally.votes["cy"] == 2);
    CHECK(tally.votes["di"] == 1);
    CHECK(tally.most == 2);

    vote_rules ranked = approval;
    ranked.ranked = true;
    ranked.k = 3;
    std::vector<ballot> ranked_ballots{cast("m1", {"bo", "cy", "di"}), cast("m2", {"cy", "bo"}), cast("m3", {"gone", "di"})};
    auto borda = count_ballots(ranked, ranked_ballots, four);
    CHECK(borda.votes["bo"] == 3 + 2);
    CHECK(borda.votes["cy"] == 2 + 3);
    CHECK(borda.votes["di"] == 1 + 2);  // an entry that is gone takes its place's points with it
    CHECK(borda.votes.count("gone") == 0);
    CHECK(borda.most == 5);
}

TEST_CASE("an entry's points: its share of the most votes, or per vote up to max") {
    auto cfg = loaded(voting_camp(json::object()));
    const auto& share = *find_vote(cfg.contests.at(0), "vote");
    vote_tally tally;
    tally.most = 3;
    CHECK(vote_points(share, tally, 3) == 10000);
    CHECK(vote_points(share, tally, 2) == 6667);  // 66.666… rounded half up
    CHECK(vote_points(share, tally, 1) == 3333);
    CHECK(vote_points(share, tally, 0) == 0);

    auto per_vote_cfg = loaded(voting_camp({{"points_per_vote", 40}}));
    const auto& per_vote = *find_vote(per_vote_cfg.contests.at(0), "vote");
    CHECK(vote_points(per_vote, tally, 2) == 8000);
    CHECK(vote_points(per_vote, tally, 3) == 10000);  // 120 capped at max

    const auto& c = per_vote_cfg.contests.at(0);
    vote_tally counted;
    counted.votes = {{"bo", 2}};
    counted.most = 2;
    counted.ballots = 2;
    std::vector<vote_entry> entries{{"bo", "https://example.org/bo", "Bo's note", start}, {"cy", "https://example.org/cy", "Cy", start},
                                    {"nobody", "https://example.org/x", "x", start}};
    auto awards = vote_awards(c, per_vote, counted, entries, 7, start + 7 * day);
    REQUIRE(awards.size() == 2);  // an entry of someone off the roster earns nothing
    CHECK(awards[0].subject == "vote:vote:bo");
    CHECK(awards[0].points == 8000);
    CHECK(awards[0].version == 7);
    CHECK(awards[0].component == "vote");
    CHECK(awards[1].points == 0);  // a zero award replaces the points a voided ballot once gave
}

TEST_CASE("tallies are shown after the close, or from the opening when live") {
    vote_rules v;
    v.opens_at = start + 5 * day;
    v.closes_at = start + 7 * day;
    CHECK_FALSE(tallies_visible(v, start + 6 * day));
    CHECK(tallies_visible(v, start + 7 * day));
    v.live_tallies = true;
    CHECK_FALSE(tallies_visible(v, start + 4 * day));
    CHECK(tallies_visible(v, start + 5 * day));
}

TEST_CASE("fraud signals: ballots from one address, voters who joined after the opening, identical ballots in a burst") {
    vote_rules v;
    v.opens_at = start + 5 * day;
    auto t = start + 5 * day + 3600;
    std::vector<ballot> ballots{cast("m1", {"bo", "cy"}, t, "10.0.0.1"), cast("m2", {"cy", "bo"}, t + 4, "10.0.0.1"),
                                cast("m3", {"cy", "bo"}, t + 60, "10.0.0.1"), cast("m4", {"di"}, t + 5, "10.0.0.2")};
    std::map<std::string, unix_seconds> joined{{"m1", start}, {"m2", v.opens_at + 10}, {"m4", v.opens_at - 1}};
    auto signals = signals_of(v, ballots, joined);
    REQUIRE(signals.size() == 4);
    CHECK(signals[0].same_client == 3);
    CHECK(signals[3].same_client == 1);
    CHECK(signals[0].burst);   // the same two entries 4 s apart, in another order
    CHECK(signals[1].burst);
    CHECK_FALSE(signals[2].burst);  // a minute later
    CHECK_FALSE(signals[3].burst);
    CHECK_FALSE(signals[0].joined_after_open);
    CHECK(signals[1].joined_after_open);
    CHECK_FALSE(signals[2].joined_after_open);  // unknown join time: not flagged
    CHECK_FALSE(signals[3].joined_after_open);
}

TEST_CASE("ballots and entries read back what they stored, and refuse what is not theirs") {
    auto b = cast("m1", {"bo", "cy"}, start, "10.0.0.1");
    b.voided = true;
    b.void_reason = "bought";
    b.voided_by = "admin";
    auto back = ballot::from_text(b.to_json().dump());
    REQUIRE(back);
    CHECK(back->entries == b.entries);
    CHECK(back->voided);
    CHECK(back->void_reason == "bought");
    CHECK_FALSE(ballot::from_text("[]"));
    CHECK_FALSE(ballot::from_text(R"({"voter": "m1", "cast_at": 1})"));
    vote_entry e{"bo", "https://example.org", "t", start};
    CHECK(vote_entry::from_text(e.to_json().dump())->title == "t");
    CHECK_FALSE(vote_entry::from_text("{"));
}

}  // namespace votes_test
