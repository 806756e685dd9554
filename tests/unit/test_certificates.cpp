#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "certificates.hpp"
#include "config_loader.hpp"
#include "loaded_config.hpp"

using namespace lb::engine;
using nlohmann::json;

// Named, so that the unity build keeps these helpers apart from other files' of the same name.
namespace certificates_test {

namespace {

config camp() {
    auto document = json::parse(R"({"admin_token_env": "LB_ADMIN_TOKEN", "contests": [{"id": "camp", "title": {"en": "Camp", "zh": "训练营"},
      "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-22T00:00:00Z", "repos": [],
      "placings": [{"from": 1, "to": 1, "title": {"en": "Champion", "zh": "冠军"}}, {"from": 2, "to": 3, "title": {"en": "Second prize", "zh": "二等奖"}}],
      "participants": [{"id": "ann", "name": "Ann"}, {"id": "bo", "name": "薄一"}, {"id": "cy", "name": "Cy"}, {"id": "di", "name": "Di"}]}]})");
    return lb::test::loaded_config(document);
}

}  // namespace

TEST_CASE("the final ranks within a placing earn a certificate each, named as the roster names them") {
    auto cfg = camp();
    const auto& c = cfg.contests.at(0);
    CHECK(deepest_placing(c) == 3);
    auto owed = owed_certificates(c, {{"bo", 1}, {"ann", 2}, {"nobody", 3}, {"cy", 4}}, {"GW-000002", "", "", ""}, 1798000000);
    REQUIRE(owed.size() == 2);  // rank 3 is no participant's, rank 4 no placing's
    CHECK(owed[0].participant == "bo");
    CHECK(owed[0].name == "薄一");
    CHECK(owed[0].community_id == "GW-000002");
    CHECK(owed[0].title.zh == "冠军");
    CHECK(owed[0].contest_title.zh == "训练营");
    CHECK(owed[1].title.en == "Second prize");
    CHECK(owed[1].ended_at == c.ends_at);
    CHECK(owed[1].revision == 1);
}

TEST_CASE("issued again: the id stays, the revision rises only when the content changed") {
    auto cfg = camp();
    auto kept = owed_certificates(cfg.contests.at(0), {{"ann", 1}}, {""}, 1798000000).at(0);
    kept.id = "0123456789abcdef0123456789abcdef";
    auto same = reissue(kept, owed_certificates(cfg.contests.at(0), {{"ann", 1}}, {""}, 1798009999).at(0));
    CHECK(same.id == kept.id);
    CHECK(same.revision == 1);
    CHECK(same.issued_at == kept.issued_at);  // nothing changed: the same certificate, the same date
    auto renamed = owed_certificates(cfg.contests.at(0), {{"ann", 1}}, {"GW-000009"}, 1798009999).at(0);
    auto next = reissue(kept, renamed);
    CHECK(next.id == kept.id);
    CHECK(next.revision == 2);
    CHECK(next.community_id == "GW-000009");
    CHECK(next.content() != kept.content());
}

TEST_CASE("a certificate id is 32 lower-case hex digits, and a stored record reads back whole") {
    CHECK(is_certificate_id("0123456789abcdef0123456789abcdef"));
    CHECK_FALSE(is_certificate_id("0123456789ABCDEF0123456789abcdef"));
    CHECK_FALSE(is_certificate_id("0123456789abcdef"));
    CHECK_FALSE(is_certificate_id("../../../../etc/passwd/0123456789"));
    auto cfg = camp();
    auto cert = owed_certificates(cfg.contests.at(0), {{"bo", 1}}, {"GW-1"}, 1798000000).at(0);
    cert.id = "0123456789abcdef0123456789abcdef";
    auto back = certificate::from_text(cert.to_json().dump());
    REQUIRE(back);
    CHECK(back->content() == cert.content());
    CHECK(back->issued_at == cert.issued_at);
    CHECK_FALSE(certificate::from_text(R"({"id": "x", "contest": "c", "participant": "p", "rank": 1, "revision": 9223372036854775807})"));
    CHECK_FALSE(certificate::from_text(R"({"id": "x", "contest": "c", "participant": "p", "rank": 0})"));
}

TEST_CASE("a level reached earns a certificate of its own kind, which reads back as one") {
    auto cfg = camp();
    const auto& c = cfg.contests.at(0);
    auto cert = level_certificate(c, *c.find_participant("bo"), "GW-000002", "薄一 (Bo)", "L2", {"Contributor", "贡献者"}, 1798000000);
    CHECK(cert.kind == "level");
    CHECK(cert.rank == 0);
    CHECK(cert.name == "薄一 (Bo)");  // the member's name, not the roster's
    CHECK(cert.title.zh == "贡献者");
    CHECK(cert.ended_at == 1798000000);  // the day it was reached
    CHECK(cert.content().at("level") == "L2");
    cert.id = "0123456789abcdef0123456789abcdef";
    auto back = certificate::from_text(cert.to_json().dump());
    REQUIRE(back);
    CHECK(back->content() == cert.content());
    CHECK_FALSE(certificate::from_text(R"({"id": "x", "kind": "level", "contest": "c", "participant": "p", "rank": 3})"));
    CHECK_FALSE(certificate::from_text(R"({"id": "x", "kind": "prize", "contest": "c", "participant": "p", "rank": 1})"));
    auto placed = owed_certificates(c, {{"ann", 1}}, {""}, 1798000000).at(0);
    CHECK(placed.content().at("kind") == "placing");
    CHECK_FALSE(placed.content().contains("level"));
}

}  // namespace certificates_test
