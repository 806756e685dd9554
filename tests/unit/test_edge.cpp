// The edge of the server as pure logic: the route table, the router's decisions on a
// request's head, decoding and checking outside text, metric labels.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/api_router.hpp"
#include "api/phone_link.hpp"
#include "common/request_target.hpp"
#include "api/route_list.hpp"
#include "common/metrics.hpp"
#include "config_loader.hpp"
#include "utf8.hpp"

using namespace lb::gateway;

namespace {

// preflight never reaches the store; an executor that answers every command with an
// error makes that visible should it ever try.
struct unreachable_store : lb::engine::redis_executor {
    int calls = 0;
    void execute(std::vector<lb::engine::redis_command> commands, lb::engine::redis_batch_handler handler) override {
        ++calls;
        handler(std::vector<lb::engine::redis_value>(commands.size(), lb::engine::redis_value::error("unreachable")));
    }
};

lb::engine::config one_contest() {
    auto result = lb::engine::load_config(nlohmann::json::parse(R"({
      "admin_token_env": "LB_ADMIN_TOKEN",
      "contests": [{"id": "geekweek", "title": "Geek Week", "starts_at": "2026-12-01T00:00:00+08:00",
                    "ends_at": "2026-12-08T00:00:00+08:00", "repos": ["github:o/r"],
                    "participants": [{"id": "alice", "name": "Alice", "github": "alice"}],
                    "rules": {"pull_requests": {"base_points": 1}}}]})"));
    REQUIRE(result.errors.empty());
    return std::move(result.value);
}

api_request head(std::string method, std::string target, std::string authorization = "") {
    api_request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.authorization = std::move(authorization);
    return r;
}

}  // namespace

TEST_CASE("the route table: literal segments beat parameters, 404 and 405 come from it") {
    route_table table(api_routes());
    auto match = [&](const char* method, std::vector<std::string> segments) { return table.match(method, segments); };
    CHECK(match("GET", {"healthz"}).found->pattern == "/healthz");
    CHECK(match("GET", {"index.html"}).found->pattern == "/{file}");
    CHECK(match("GET", {}).found->pattern == "/");
    CHECK(match("HEAD", {"api", "contests"}).found->pattern == "/api/contests");
    auto submissions = match("POST", {"api", "contests", "x", "submissions"});
    CHECK(submissions.found->who == access::participant);
    CHECK(match("GET", {"api", "contests", "x", "submissions"}).found->who == access::judge);
    auto tokens = match("DELETE", {"api", "contests", "x", "participants", "ann", "tokens"});
    REQUIRE(tokens.found);
    CHECK(tokens.params == std::vector<std::pair<std::string_view, std::string>>{{"contest", "x"}, {"pid", "ann"}});
    auto wrong_method = match("PATCH", {"api", "contests", "x", "freeze"});
    CHECK((wrong_method.status == 405 && wrong_method.allowed == "POST"));
    CHECK(match("DELETE", {"healthz"}).status == 405);
    CHECK(match("GET", {"api", "contests", "x", "standings", "more"}).status == 404);
    CHECK(match("GET", {"no", "such", "thing"}).status == 404);
}

TEST_CASE("every route is declared once, with a body limit and a label that is its pattern") {
    auto routes = api_routes();
    for (std::size_t i = 0; i < routes.size(); ++i) {
        CAPTURE(routes[i].pattern);
        CHECK(routes[i].body_limit > 0);
        CHECK(routes[i].pattern.starts_with("/"));
        for (std::size_t j = i + 1; j < routes.size(); ++j)
            CHECK_FALSE((routes[i].method == routes[j].method && routes[i].pattern == routes[j].pattern));
    }
}

TEST_CASE("preflight decides from the head alone: bad target, route, contest, token") {
    lb::engine::config_slot config(std::make_unique<lb::engine::config>(one_contest()));
    unreachable_store store;
    metrics counters;
    app_context app{config, store, [] { return true; }, "the-admin-token", "", counters};
    api_router router(app);
    struct row {
        api_request request;
        int status;  // 0: a route was found and may read its body
        std::string error;
    };
    auto with_header = [](api_request r, std::string name, std::string value) {
        r.headers[name] = std::move(value);
        return r;
    };
    auto repeated = head("POST", "/hooks/github");
    repeated.repeated_header = "x-hub-signature-256";
    const row rows[] = {
        {head("GET", "/api/contests/%ff/standings"), 400, "bad_target"},
        {head("GET", "/api/contests/geekweek/standings?board=%c0%af"), 400, "bad_target"},
        {head("GET", "/api/contests/geekweek/standings?board=a&board=b"), 400, "bad_target"},
        {head("GET", "/api/contests/geekweek%0a/standings"), 400, "bad_target"},
        {head("GET", "relative"), 400, "bad_target"},
        {head("GET", "/nope/nope"), 404, "not_found"},
        {head("PUT", "/healthz"), 405, "method_not_allowed"},
        {head("GET", "/api/contests/mars"), 404, "unknown_contest"},
        {head("POST", "/api/contests/geekweek/freeze"), 401, "unauthorized"},
        {head("POST", "/api/contests/geekweek/freeze", "Bearer wrong"), 401, "unauthorized"},
        {head("POST", "/api/contests/geekweek/freeze", "Bearer the-admin-token "), 401, "unauthorized"},
        {head("POST", "/api/contests/geekweek/freeze", "Basic the-admin-token"), 401, "unauthorized"},
        {head("POST", "/api/contests/geekweek/freeze", "Bearer the-admin-token"), 0, ""},
        {head("POST", "/api/contests/geekweek/freeze", "bearer the-admin-token"), 0, ""},
        {head("POST", "/api/contests/geekweek/submissions"), 401, "unauthorized"},
        {head("POST", "/api/contests/geekweek/submissions", "Bearer lbt_anything"), 0, ""},
        {with_header(head("POST", "/hooks/github"), "x-github-event", "pull\xff"), 400, "bad_header"},
        {with_header(head("POST", "/hooks/github"), "x-github-event", "a\rb"), 400, "bad_header"},
        {repeated, 400, "bad_header"},
        {head("GET", "/ws?contest=geekweek"), 0, ""},
    };
    for (const auto& r : rows) {
        CAPTURE(r.request.method);
        CAPTURE(r.request.target);
        auto pre = router.preflight(r.request);
        if (r.status == 0) {
            CHECK_FALSE(pre.refusal);
            CHECK(pre.found);
            continue;
        }
        REQUIRE(pre.refusal);
        CHECK(pre.refusal->status == r.status);
        CHECK(nlohmann::json::parse(pre.refusal->body)["error"] == r.error);
    }
    CHECK(store.calls == 0);
    auto upload = router.preflight(head("PUT", "/api/contests/geekweek/participants", "Bearer the-admin-token"));
    CHECK(upload.body_limit == 8u << 20);
    CHECK(upload.label == "/api/contests/{contest}/participants");
    CHECK(router.preflight(head("POST", "/hooks/github")).body_limit == 25u << 20);
    CHECK(router.preflight(head("GET", "/no/such/" + std::string(50, 'x'))).label == "unmatched");
}

TEST_CASE("a process serving one role refuses the other's routes") {
    lb::engine::config_slot config(std::make_unique<lb::engine::config>(one_contest()));
    unreachable_store store;
    metrics counters;
    app_context hooks_only{config, store, [] { return true; }, "t", "", counters, nullptr, process_role::webhooks};
    api_router receiver(hooks_only);
    CHECK(receiver.preflight(head("GET", "/api/contests")).refusal->status == 404);
    CHECK_FALSE(receiver.preflight(head("GET", "/healthz")).refusal);
    app_context gateway_only{config, store, [] { return true; }, "t", "", counters, nullptr, process_role::gateway};
    api_router gateway(gateway_only);
    CHECK(gateway.preflight(head("POST", "/hooks/gitee")).refusal->status == 404);
}

TEST_CASE("request targets decode to UTF-8 text without control characters, or name the part at fault") {
    std::string error;
    CHECK(parse_target("/api/contests/%E4%B8%8A%E6%B5%B7", &error)->segments.back() == "上海");
    struct row { const char* target; const char* error; };
    const row rows[] = {
        {"/a%ff", "path: not UTF-8 once decoded"},
        {"/a%ed%a0%80", "path: not UTF-8 once decoded"},  // a UTF-16 surrogate
        {"/a%00", "path: control characters are not allowed"},
        {"/?q=%fe", "query.q: not UTF-8 once decoded"},
        {"/?%ff=1", "query: a key is not UTF-8 once decoded"},
        {"/?q=1&q=2", "query.q: given twice"},
        {"/?q=%zz", "query.q: a bad %-escape"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.target);
        CHECK_FALSE(parse_target(r.target, &error));
        CHECK(error == r.error);
    }
}

TEST_CASE("UTF-8 is checked strictly") {
    using lb::engine::invalid_utf8_at;
    CHECK_FALSE(invalid_utf8_at("plain, 上海, \xf0\x9f\x8e\x89"));
    CHECK(invalid_utf8_at("ab\xff") == 2);
    CHECK(invalid_utf8_at("\xc0\xaf") == 0);          // overlong '/'
    CHECK(invalid_utf8_at("\xe0\x80\xaf") == 0);      // overlong, three bytes
    CHECK(invalid_utf8_at("\xed\xa0\x80") == 0);      // surrogate
    CHECK(invalid_utf8_at("\xf4\x90\x80\x80") == 0);  // above U+10FFFF
    CHECK(invalid_utf8_at("x\xe4\xb8") == 1);         // cut short
    CHECK(lb::engine::has_control_characters("a\tb"));
    CHECK_FALSE(lb::engine::has_control_characters("a b"));
}

TEST_CASE("metric label values are escaped as the text format requires") {
    CHECK(escape_label("plain") == "plain");
    CHECK(escape_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
    metrics m;
    m.count_request("/x\"} 1\nlb_fake 2", 200);
    auto text = m.render(true);
    CHECK(text.find("\nlb_fake 2") == std::string::npos);
}

TEST_CASE("the phone link's QR code: only a plain origin, drawn as a square SVG") {
    CHECK(checked_origin("http://127.0.0.1:8080") == "http://127.0.0.1:8080");
    CHECK(checked_origin("https://hall.example.org") == "https://hall.example.org");
    CHECK(checked_origin("http://[::1]:8080") == "http://[::1]:8080");
    for (const char* bad : {"", "javascript:alert(1)", "http://a.org/path", "http://a.org?x=1", "http://user@a.org", "ftp://a.org",
                            "http://a.org:123456", "http://a..org", "http://a.org#x", "http://a org", "https://"})
        CHECK_MESSAGE(!checked_origin(bad), bad);
    CHECK(phone_link("http://hall:8080", "geek-week") == "http://hall:8080/?contest=geek-week");
    auto svg = qr_svg("http://hall:8080/?contest=geek-week");
    REQUIRE(svg);
    CHECK(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 37 37\""));  // version 3 (29 modules) + quiet zone
    CHECK(*svg == *qr_svg("http://hall:8080/?contest=geek-week"));
    CHECK(svg->find("<script") == std::string::npos);
    CHECK_FALSE(qr_svg(std::string(3000, 'x')));
    CHECK_FALSE(qr_svg(""));
}

TEST_CASE("the process role is read once, from the three names the command line takes") {
    CHECK(parse_process_role("webhooks") == process_role::webhooks);
    CHECK(parse_process_role("gateway") == process_role::gateway);
    CHECK(parse_process_role("all") == process_role::all);
    CHECK_FALSE(parse_process_role("Gateway"));
    CHECK(std::string(to_string(process_role::webhooks)) == "webhooks");
    CHECK(serves(process_role::gateway, served_by::gateways));
    CHECK_FALSE(serves(process_role::gateway, served_by::receivers));
    CHECK_FALSE(serves(process_role::webhooks, served_by::gateways));
    CHECK(serves(process_role::webhooks, served_by::every_role));
}
