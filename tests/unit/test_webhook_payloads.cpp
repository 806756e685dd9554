#include <doctest/doctest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "form_body.hpp"
#include "gitee_credentials.hpp"
#include "payloads.hpp"
#include "signatures.hpp"

using namespace lb::webhooks;
using nlohmann::json;

namespace {

json github_body(std::string action = "closed", bool merged = true) {
    return {{"action", action},
            {"number", 5},
            {"pull_request",
             {{"html_url", "https://github.com/o/r/pull/5"}, {"number", 5}, {"title", "fix: <b>bold</b>"},
              {"user", {{"login", "alice"}, {"id", 1}}},
              {"labels", json::array({{{"id", 1}, {"name", "bug"}}, {{"id", 2}, {"name", "Level 1"}}})},
              {"updated_at", "2026-12-02T10:00:05Z"},
              {"merged_at", merged ? json("2026-12-02T10:00:00Z") : json(nullptr)},
              {"base", {{"repo", {{"full_name", "O/R"}}}}},
              {"merged", merged},
              {"merged_by", {{"login", "maintainer"}}}}},
            {"repository", {{"full_name", "O/R"}}}};
}

json gitee_body(std::string action = "merge") {
    return {{"action", action},
            {"pull_request",
             {{"number", 9}, {"html_url", "https://gitee.com/o/r/pulls/9"}, {"title", "修复"},
              {"user", {{"login", "chen"}}}, {"labels", json::array()}, {"state", "merged"}, {"merged", true},
              {"merged_at", "2021-10-08T17:32:30+08:00"}, {"updated_at", "2021-10-08T17:32:29+08:00"},
              {"merge_status", "can_be_merged"}}},
            {"repository", {{"full_name", "o/r"}, {"name_with_namespace", "组织/仓库"}}},
            {"sender", {{"login", "merger"}}}};
}

normalized_delivery github(const json& body, std::string event = "pull_request") {
    std::string text = body.dump();
    return normalize_github(event, text);
}

normalized_delivery gitee(const json& body) {
    std::string text = body.dump();
    return normalize_gitee("Merge Request Hook", text);
}

}  // namespace

TEST_CASE("a merged GitHub PR normalizes to the facts scoring needs") {
    auto d = github(github_body());
    REQUIRE(d.kind == delivery_kind::pull_request);
    CHECK(d.pr.host == "github");
    CHECK(d.pr.repo == "O/R");
    CHECK(d.pr.number == 5);
    CHECK(d.pr.url == "https://github.com/o/r/pull/5");
    CHECK(d.pr.title == "fix: <b>bold</b>");
    CHECK(d.pr.author == "alice");
    CHECK(d.pr.labels == std::vector<std::string>{"bug", "Level 1"});
    CHECK(d.pr.merged);
    CHECK(d.pr.merged_at == lb::engine::parse_rfc3339("2026-12-02T10:00:00Z"));
    CHECK(d.pr.updated_at == *lb::engine::parse_rfc3339("2026-12-02T10:00:05Z"));
}

TEST_CASE("GitHub events and actions that do not score are ignored with a reason") {
    struct row { json body; std::string event; delivery_kind kind; std::string reason; };
    const row rows[] = {
        {github_body("closed", false), "pull_request", delivery_kind::ignored, "closed without merging"},
        {github_body("labeled", false), "pull_request", delivery_kind::ignored, "not merged"},
        {github_body("labeled", true), "pull_request", delivery_kind::pull_request, ""},
        {github_body("unlabeled", true), "pull_request", delivery_kind::pull_request, ""},
        {github_body("edited", true), "pull_request", delivery_kind::pull_request, ""},
        {github_body("opened", false), "pull_request", delivery_kind::ignored, "action \"opened\" does not change a score"},
        {json::object(), "push", delivery_kind::ignored, "event \"push\" is not scored"},
        {json::object(), "ping", delivery_kind::ping, "ping"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.reason);
        auto d = github(r.body, r.event);
        CHECK(d.kind == r.kind);
        CHECK(d.reason == r.reason);
    }
}

TEST_CASE("missing or mistyped fields are named") {
    struct row { const char* pointer; json value; std::string field; };
    const row rows[] = {
        {"/pull_request/number", "5", "pull_request.number"},
        {"/pull_request/user/login", 7, "pull_request.user.login"},
        {"/pull_request/labels", "bug", "pull_request.labels"},
        {"/pull_request/merged_at", "yesterday", "pull_request.merged_at"},
        {"/pull_request/merged", "yes", "pull_request.merged"},
        {"/pull_request/base/repo/full_name", nullptr, "pull_request.base.repo.full_name"},
        {"/action", 1, "action"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.field);
        json body = github_body();
        body[json::json_pointer(r.pointer)] = r.value;
        auto d = github(body);
        CHECK(d.kind == delivery_kind::malformed);
        CHECK(d.reason.starts_with(r.field + ":"));
    }
    std::string truncated = github_body().dump().substr(0, 120);
    CHECK(normalize_github("pull_request", truncated).kind == delivery_kind::malformed);
    std::string not_json = "payload=oops";
    CHECK(normalize_github("pull_request", not_json).kind == delivery_kind::malformed);
}

TEST_CASE("pull_request fields are read whatever their order; a missing one is named, a repeated one read once") {
    // GitHub's wire order, then reversed: each must give the same facts.
    const auto sorted = github_body()["pull_request"];
    std::vector<std::string> keys{"html_url", "number", "title", "user", "updated_at", "merged_at", "labels", "base", "merged", "merged_by"};
    auto body_in = [&](const std::vector<std::string>& order) {
        nlohmann::ordered_json pr = nlohmann::ordered_json::object();
        for (const auto& key : order) pr[key] = nlohmann::ordered_json::parse(sorted[key].dump());
        nlohmann::ordered_json body{{"action", "closed"}, {"pull_request", pr}};
        return body.dump();
    };
    auto reversed = keys;
    std::reverse(reversed.begin(), reversed.end());
    for (const auto& order : {keys, reversed}) {
        std::string text = body_in(order);
        CAPTURE(text);
        auto d = normalize_github("pull_request", text);
        REQUIRE(d.kind == delivery_kind::pull_request);
        CHECK(d.pr.repo == "O/R");
        CHECK(d.pr.number == 5);
        CHECK(d.pr.url == "https://github.com/o/r/pull/5");
        CHECK(d.pr.author == "alice");
        CHECK(d.pr.labels == std::vector<std::string>{"bug", "Level 1"});
        CHECK(d.pr.merged_at == lb::engine::parse_rfc3339("2026-12-02T10:00:00Z"));
        CHECK(d.pr.updated_at == *lb::engine::parse_rfc3339("2026-12-02T10:00:05Z"));
    }
    for (const auto& [key, field] : {std::pair{"number", "pull_request.number"}, std::pair{"html_url", "pull_request.html_url"},
                                     std::pair{"updated_at", "pull_request.updated_at"}, std::pair{"merged_at", "pull_request.merged_at"},
                                     std::pair{"base", "pull_request.base.repo.full_name"}, std::pair{"merged", "pull_request.merged"}}) {
        CAPTURE(key);
        auto order = keys;
        std::erase(order, key);
        std::string text = body_in(order);
        auto d = normalize_github("pull_request", text);
        CHECK(d.kind == delivery_kind::malformed);
        CHECK(d.reason.starts_with(std::string(field) + ":"));
    }
    std::string repeated = R"({"action":"closed","pull_request":{"number":5,"html_url":"u","title":"t","user":{"login":"a"},)"
                           R"("labels":[{"name":"bug"}],"labels":[{"name":"bug"}],"updated_at":"2026-12-02T10:00:05Z",)"
                           R"("merged_at":"2026-12-02T10:00:00Z","merged":true,"base":{"repo":{"full_name":"o/r"}}}})";
    auto d = normalize_github("pull_request", repeated);
    REQUIRE(d.kind == delivery_kind::pull_request);
    CHECK(d.pr.labels == std::vector<std::string>{"bug"});
}

TEST_CASE("Gitee merges and label updates normalize; the state time covers merged_at") {
    auto d = gitee(gitee_body());
    REQUIRE(d.kind == delivery_kind::pull_request);
    CHECK(d.pr.host == "gitee");
    CHECK(d.pr.repo == "o/r");  // repository.full_name, never the display name
    CHECK(d.pr.author == "chen");
    CHECK(d.pr.updated_at == *lb::engine::parse_rfc3339("2021-10-08T17:32:30+08:00"));
    auto relabel = gitee_body("update");
    relabel["action_desc"] = "update_label";
    CHECK(gitee(relabel).kind == delivery_kind::pull_request);
    auto other_update = gitee_body("update");
    other_update["action_desc"] = "update_title";
    CHECK(gitee(other_update).kind == delivery_kind::ignored);
    auto closed = gitee_body("close");
    CHECK(gitee(closed).kind == delivery_kind::ignored);
    auto unmerged = gitee_body();
    unmerged["pull_request"]["merged"] = false;
    CHECK(gitee(unmerged).reason == "not merged");
    std::string text = gitee_body().dump();
    CHECK(normalize_gitee("Push Hook", text).kind == delivery_kind::ignored);
}

TEST_CASE("malformed bodies past their first fields are refused, never walked twice") {
    // From a fuzzer crash: a broken pull_request followed by more members. A lookup that
    // missed used to rescan the object from its start, trusting a structure never checked.
    const char* bodies[] = {
        R"({"action":"merge","pull_request":{"number":7,"merge_status":"x":{}}},"repository":{"full_name":"a/b"}})",
        R"({"action":"closed","pull_request":{"number":7,"merge_status":"x":{}}},"repository":{"full_name":"a/b"}})",
        R"({"action":"merge","pull_request":{"number":7},"x":1}}},"repository":{"full_name":"a/b"}})",
        R"({"action":"merge","repository":{"full_name":"a/b"},"pull_request":{"number":7,"user":{"login":"x"}}])",
        R"({"action":"closed","pull_request":{"number":7,"html_url":"u","title":"t","user":{"login":"x"},"labels":[{"name":"a"}}}]}})",
    };
    for (const char* body : bodies) {
        CAPTURE(body);
        std::string gitee(body), github(body);
        // Refused as malformed, or ignored for its action: never facts from a broken body.
        CHECK(normalize_gitee("Merge Request Hook", gitee).kind != delivery_kind::pull_request);
        CHECK(normalize_github("pull_request", github).kind != delivery_kind::pull_request);
    }
}

TEST_CASE("Gitee's documented signature vectors") {
    CHECK(gitee_signature("bBg5lrt03VixkX85CNqYIcecC0SIGASE", "1633679083918") == "Xvh4YPVe6l31XpDRL9J2yeaEXabsckIoUUschpXiVck=");
    CHECK(gitee_signature("123654", "1672135206524") == "AbEvusCKxqRkBtTr4fD47SGVP/mRwlt48iuUYMFRloI=");
    CHECK(gitee_token_valid("signature", "bBg5lrt03VixkX85CNqYIcecC0SIGASE", "1633679083918", "Xvh4YPVe6l31XpDRL9J2yeaEXabsckIoUUschpXiVck="));
    CHECK_FALSE(gitee_token_valid("signature", "bBg5lrt03VixkX85CNqYIcecC0SIGASE", "1633679083917", "Xvh4YPVe6l31XpDRL9J2yeaEXabsckIoUUschpXiVck="));
    auto encoded = read_gitee_credentials("1672135206524", "AbEvusCKxqRkBtTr4fD47SGVP%2FmRwlt48iuUYMFRloI%3D");
    REQUIRE(std::holds_alternative<gitee_credentials>(encoded));
    CHECK(gitee_token_valid("signature", "123654", "1672135206524", std::get<gitee_credentials>(encoded).token));
    CHECK(gitee_token_valid("password", "hunter2", "1", "hunter2"));
    CHECK_FALSE(gitee_token_valid("password", "hunter2", "1", "hunter3"));
    CHECK_FALSE(gitee_token_valid("password", "", "1", ""));
}

TEST_CASE("Gitee credentials have one canonical form") {
    auto read = [](std::string_view timestamp, std::string_view token) {
        auto result = read_gitee_credentials(timestamp, token);
        REQUIRE(std::holds_alternative<gitee_credentials>(result));
        return std::get<gitee_credentials>(result);
    };
    auto plain = read("1672135206524", "AbEvusCKxqRkBtTr4fD47SGVP/mRwlt48iuUYMFRloI=");
    // Every spelling of the same token is the same replay key: re-encoding mints no fresh pair.
    for (const char* spelling : {"AbEvusCKxqRkBtTr4fD47SGVP%2FmRwlt48iuUYMFRloI%3D", "AbEvusCKxqRkBtTr4fD47SGVP%2fmRwlt48iuUYMFRloI%3d",
                                 "%41bEvusCKxqRkBtTr4fD47SGVP/mRwlt48iuUYMFRloI="}) {
        CAPTURE(spelling);
        CHECK(gitee_replay_key(read("1672135206524", spelling)) == gitee_replay_key(plain));
    }
    CHECK(gitee_replay_key(read("1672135206525", plain.token)) != gitee_replay_key(plain));
    CHECK(plain.millis == 1672135206524);
    for (auto [timestamp, token] : std::vector<std::pair<const char*, const char*>>{
             {"", "x"}, {"01672135206524", "x"}, {"16721352065x4", "x"}, {"12345678901234567", "x"}, {"1", ""},
             {"1", "%zz"}, {"1", "%ff%fe"}, {"1", "a%0Ab"}}) {
        CAPTURE(timestamp);
        CAPTURE(token);
        CHECK(std::holds_alternative<std::string>(read_gitee_credentials(timestamp, token)));
    }
}

TEST_CASE("form bodies carry GitHub's JSON in the payload field") {
    CHECK(form_field("payload=%7B%22a%22%3A+1%7D", "payload") == "{\"a\": 1}");
    CHECK(form_field("x=1&payload=abc", "payload") == "abc");
    CHECK_FALSE(form_field("x=1", "payload"));
    CHECK_FALSE(form_field("payload=%G1", "payload"));
}
