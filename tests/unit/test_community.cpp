#include <doctest/doctest.h>

#include "community.hpp"
#include "config_loader.hpp"

using namespace lb::engine;
using nlohmann::json;

namespace {

std::string field_of(const json& body) {
    auto read = read_sign_up(body);
    auto* error = std::get_if<sign_up_error>(&read);
    return error ? error->field : "";
}

}  // namespace

TEST_CASE("a sign-up names a person and at least one login of the host's shape") {
    auto read = read_sign_up(json{{"name", "李雷"}, {"github", "Li-Lei"}, {"city", "上海"}, {"school", "复旦大学"}});
    REQUIRE(std::holds_alternative<sign_up>(read));
    const auto& s = std::get<sign_up>(read);
    CHECK(s.name == "李雷");
    CHECK(login_on(s.logins, "github") == "Li-Lei");
    CHECK(s.logins.size() == 1);
    CHECK(s.city == "上海");
    CHECK(std::holds_alternative<sign_up>(read_sign_up(json{{"name", "Han"}, {"gitee", "han_mei.mei"}})));
    auto everywhere = read_sign_up(json{{"name", "Wu"}, {"gitcode", "wu_1"}, {"atomgit", "wu.2"}, {"gitlab", "wu-3"}});
    REQUIRE(std::holds_alternative<sign_up>(everywhere));
    CHECK(std::get<sign_up>(everywhere).logins == host_logins{{"atomgit", "wu.2"}, {"gitcode", "wu_1"}, {"gitlab", "wu-3"}});
    CHECK(sign_up_json(std::get<sign_up>(everywhere))["login_keys"] == json{"gitcode:wu_1", "atomgit:wu.2", "gitlab:wu-3"});
    CHECK(field_of(json{{"name", "Wu"}, {"gitcode", "wu 1"}}) == "gitcode");

    CHECK(field_of(json{{"github", "octo"}}) == "name");
    CHECK(field_of(json{{"name", "  "}, {"github", "octo"}}) == "name");
    CHECK(field_of(json{{"name", std::string(65, 'x')}, {"github", "octo"}}) == "name");
    CHECK(field_of(json{{"name", std::string(64 * 3, '\xe4')}, {"github", "octo"}}) == "name");  // not UTF-8
    CHECK(field_of(json{{"name", "a\nb"}, {"github", "octo"}}) == "name");
    CHECK(field_of(json{{"name", 7}, {"github", "octo"}}) == "name");
    CHECK(field_of(json{{"name", "Octo"}}) == "github");  // no login at all
    CHECK(field_of(json{{"name", "Octo"}, {"github", "-octo"}}) == "github");
    CHECK(field_of(json{{"name", "Octo"}, {"github", "oc--to"}}) == "github");
    CHECK(field_of(json{{"name", "Octo"}, {"github", std::string(40, 'a')}}) == "github");
    CHECK(field_of(json{{"name", "Octo"}, {"gitee", "a"}}) == "gitee");
    CHECK(field_of(json{{"name", "Octo"}, {"gitee", "a b"}}) == "gitee");
    CHECK(field_of(json{{"name", "Octo"}, {"github", "octo"}, {"city", std::string(65, 'c')}}) == "city");
    CHECK(field_of(json{{"name", "Octo"}, {"github", "octo"}, {"points", 100}}) == "points");  // nothing else
    CHECK(field_of(json::array()) == "(body)");
    CHECK(field_of(json{{"name", "Han"}, {"gitee", "han"}, {"", "Han"}}) == "(body)");  // found by the sign_up fuzz target
    // A 64-character name in Chinese is 64 characters, not 192 bytes.
    std::string long_name;
    for (int i = 0; i < 64; ++i) long_name += "李";
    CHECK(field_of(json{{"name", long_name}, {"github", "octo"}}).empty());
}

TEST_CASE("community ids have the configured prefix and width and never lose digits") {
    community_settings settings;
    settings.id_prefix = "MSG-";
    settings.id_width = 6;
    CHECK(format_community_id(settings, 1) == "MSG-000001");
    CHECK(format_community_id(settings, 123) == "MSG-000123");
    CHECK(format_community_id(settings, 1234567) == "MSG-1234567");
    CHECK(looks_like_community_id(settings, "MSG-000123"));
    CHECK_FALSE(looks_like_community_id(settings, "MSG-"));
    CHECK_FALSE(looks_like_community_id(settings, "MSG-12a"));
    CHECK_FALSE(looks_like_community_id(settings, "LB-000001"));
    CHECK(login_key("github", "OctoCat") == "github:octocat");
}

TEST_CASE("the config's community block opens sign-ups and is checked") {
    auto base = json::parse(R"({"admin_token_env": "T", "contests": [{"id": "c", "title": "C", "starts_at": "2026-12-01T00:00:00Z",
        "ends_at": "2026-12-08T00:00:00Z", "repos": ["github:o/r"], "teams": [], "participants": [],
        "rules": {"pull_requests": {"base_points": 1}}}]})");
    CHECK_FALSE(load_config(base).value.community.registration_open);
    auto document = base;
    document["community"] = {{"id_prefix", "MSG-"}, {"id_width", 6}};
    auto loaded = load_config(document);
    REQUIRE(loaded.errors.empty());
    CHECK(loaded.value.community.registration_open);
    CHECK(loaded.value.community.id_prefix == "MSG-");
    document["community"] = {{"id_prefix", "M S"}, {"id_width", 0}, {"max_pending", 1.5}};
    auto bad = load_config(document);
    CHECK(bad.errors.size() == 3);
}

TEST_CASE("a ladder is climbed rung by rung, each rung by merges or by points") {
    std::vector<level_rule> ladder = {{"L0", "Registered", "", {}, {}}, {"L1", "First merge", "", 1, {}}, {"L2", "Contributor", "", 5, 10000}};
    CHECK(level_reached(ladder, {0, 0}) == 0);
    CHECK(level_reached(ladder, {1, 0}) == 1);
    CHECK(level_reached(ladder, {4, 9999}) == 1);
    CHECK(level_reached(ladder, {5, 0}) == 2);
    CHECK(level_reached(ladder, {1, 10000}) == 2);
    // 100 points from judged work alone, without a merge: L1 is not reached, so L2 is not either.
    CHECK(level_reached(ladder, {0, 10000}) == 0);
    auto shown = level_json(ladder, {1, 500});
    CHECK(shown["id"] == "L1");
    CHECK(shown["next"]["merged_prs"] == 5);
    CHECK(shown["next"]["points"] == 100);
    CHECK(level_json(ladder, {9, 0})["next"].is_null());
    CHECK(default_ladder().front().id == "L0");
}

TEST_CASE("the config's levels replace the default ladder and are checked") {
    auto document = json::parse(R"({"admin_token_env": "T", "contests": [{"id": "c", "title": "C", "starts_at": "2026-12-01T00:00:00Z",
        "ends_at": "2026-12-08T00:00:00Z", "repos": ["github:o/r"], "teams": [],
        "participants": [{"id": "p", "name": "P", "github": "p", "person": "MSG-000001"}],
        "rules": {"pull_requests": {"base_points": 1}}}],
        "community": {"levels": [{"id": "L0", "name": "Registered"}, {"id": "L1", "name": "Merged", "merged_prs": 1, "points": 50}]}})");
    auto loaded = load_config(document);
    REQUIRE(loaded.errors.empty());
    REQUIRE(loaded.value.community.ladder.size() == 2);
    CHECK(loaded.value.community.ladder[1].points == 5000);
    CHECK(loaded.value.contests[0].participants[0].person == "MSG-000001");
    auto field_of_error = [&](json levels) {
        auto copy = document;
        copy["community"]["levels"] = std::move(levels);
        auto result = load_config(copy);
        return result.errors.empty() ? std::string() : result.errors.front().path;
    };
    CHECK(field_of_error(json::array()) == "community.levels");
    CHECK(field_of_error(json::parse(R"([{"id": "L0", "name": "R", "points": 1}])")) == "community.levels[0]");
    CHECK(field_of_error(json::parse(R"([{"id": "L0", "name": "R"}, {"id": "L1", "name": "M"}])")) == "community.levels[1]");
    CHECK(field_of_error(json::parse(R"([{"id": "L0", "name": "R"}, {"id": "L1", "name": "M", "merged_prs": -1}])")) ==
          "community.levels[1].merged_prs");
    auto bad_person = document;
    bad_person["contests"][0]["participants"][0]["person"] = "not an id";
    CHECK(load_config(bad_person).errors.front().path == "contests[0].participants[0].person");
}
