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
    CHECK(s.github == "Li-Lei");
    CHECK(s.gitee.empty());
    CHECK(s.city == "上海");
    CHECK(std::holds_alternative<sign_up>(read_sign_up(json{{"name", "Han"}, {"gitee", "han_mei.mei"}})));

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
