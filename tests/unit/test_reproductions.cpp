#include <doctest/doctest.h>

#include "reproductions.hpp"

using namespace lb::engine;

namespace {

contest repro_contest() {
    contest c;
    c.id = "repro";
    c.starts_at = 1796054400;
    c.ends_at = c.starts_at + 30 * 86400;
    c.teams = {{"sh", {"Shanghai", "上海"}, team_kind::city}};
    c.participants = {{"ann", "Ann", {}, "", {"sh"}}, {"ben", "Ben", {}, "", {}}, {"cai", "Cai", {}, "", {}}};
    c.models = {{"resnet50", {"ResNet-50", "ResNet-50"}, 10000, "top1", 0.76, 0.01, 5000}};
    c.build_indexes();
    return c;
}

submission sub(std::string id, std::string who, long long at, long long seq, std::string verdict, std::optional<double> measured) {
    submission s;
    s.id = std::move(id);
    s.participant = std::move(who);
    s.model = "resnet50";
    s.submitted_at = 1796054400 + at;
    s.sequence = seq;
    s.verdict = std::move(verdict);
    s.measured = measured;
    return s;
}

const award& find(const std::vector<award>& awards, const std::string& subject) {
    for (const auto& a : awards)
        if (a.subject == subject) return a;
    FAIL("no award " << subject);
    return awards.front();
}

}  // namespace

TEST_CASE("tolerance is inclusive on both sides; pending and rejected do not qualify") {
    auto c = repro_contest();
    const auto& m = c.models[0];
    CHECK(qualifies(m, sub("a", "ann", 0, 1, "accepted", 0.77)));
    CHECK(qualifies(m, sub("a", "ann", 0, 1, "accepted", 0.75)));
    CHECK_FALSE(qualifies(m, sub("a", "ann", 0, 1, "accepted", 0.7699 + 0.0002)));
    CHECK_FALSE(qualifies(m, sub("a", "ann", 0, 1, "pending", 0.76)));
    CHECK_FALSE(qualifies(m, sub("a", "ann", 0, 1, "rejected", 0.76)));
    CHECK_FALSE(qualifies(m, sub("a", "ann", 0, 1, "accepted", std::nullopt)));
}

TEST_CASE("the earliest submitted qualifying reproduction takes the bonus, whatever the verdict order") {
    auto c = repro_contest();
    std::vector<submission> subs{sub("s2", "ben", 100, 2, "accepted", 0.76), sub("s1", "ann", 50, 1, "accepted", 0.765),
                                 sub("s3", "cai", 10, 3, "accepted", 0.5)};
    auto awards = reproduction_awards(c, c.models[0], subs, 7);
    CHECK(find(awards, "first_bonus:resnet50").participant == "ann");
    CHECK(find(awards, "first_bonus:resnet50").points == 5000);
    CHECK(find(awards, "reproduction:resnet50:ben").points == 10000);
    CHECK(find(awards, "reproduction:resnet50:cai").points == 0);  // accepted, but far from the target
    for (const auto& a : awards) CHECK(a.version == 7);
    // Ann's team board gets her points and the bonus.
    const auto& bonus = find(awards, "first_bonus:resnet50");
    CHECK(bonus.contributions == std::vector<contribution>{{"participants", "ann", 5000}, {"component:reproductions", "ann", 5000},
                                                           {"teams", "sh", 5000}, {"teams:city", "sh", 5000}});
}

TEST_CASE("ties in submission time go to the earlier arrival; several submissions earn a participant points once") {
    auto c = repro_contest();
    std::vector<submission> subs{sub("s9", "ben", 0, 9, "accepted", 0.76), sub("s4", "ann", 0, 4, "accepted", 0.76),
                                 sub("s5", "ann", 5, 5, "accepted", 0.76)};
    auto awards = reproduction_awards(c, c.models[0], subs, 1);
    CHECK(find(awards, "first_bonus:resnet50").participant == "ann");
    CHECK(awards.size() == 3);  // ann, ben, the bonus
    CHECK(find(awards, "reproduction:resnet50:ann").details["submission"] == "s4");
}

TEST_CASE("a disqualified participant keeps no bonus; nobody qualifying leaves it unheld") {
    auto c = repro_contest();
    auto members = c.members().participants();
    members[0].disqualified = true;
    c.publish_roster(roster(c.teams, members), 0);
    std::vector<submission> subs{sub("s1", "ann", 0, 1, "accepted", 0.76), sub("s2", "ben", 9, 2, "accepted", 0.76)};
    auto awards = reproduction_awards(c, c.models[0], subs, 2);
    CHECK(find(awards, "first_bonus:resnet50").participant == "ben");
    CHECK(find(awards, "reproduction:resnet50:ann").contributions.empty());
    auto none = reproduction_awards(c, c.models[0], {sub("s3", "cai", 0, 3, "rejected", 0.76)}, 3);
    CHECK(find(none, "first_bonus:resnet50").participant.empty());
    CHECK(find(none, "first_bonus:resnet50").points == 0);
}

TEST_CASE("submissions round-trip through their stored JSON") {
    auto s = sub("s1", "ann", 3, 1, "accepted", 0.761);
    s.claimed = {{"top1", 0.762}};
    auto back = submission::from_json(s.to_json());
    REQUIRE(back);
    CHECK(back->measured == s.measured);
    CHECK(back->claimed == s.claimed);
    CHECK_FALSE(submission::from_json(nlohmann::json{{"id", "x"}}));
}
