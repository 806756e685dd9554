// The pure parts of signing in and of the limits per client.
#include <doctest/doctest.h>

#include "api/client_limits.hpp"
#include "sign_in.hpp"

using namespace lb::engine;
using lb::gateway::client_address;
using lb::gateway::client_limits;

TEST_CASE("the client is the socket's peer unless a trusted proxy forwarded it") {
    std::vector<std::string> trusted{"127.0.0.1", "10.0.0.2"};
    CHECK(client_address("203.0.113.5", "1.2.3.4", trusted) == "203.0.113.5");  // not a proxy: its header is not believed
    CHECK(client_address("127.0.0.1", "198.51.100.7", trusted) == "198.51.100.7");
    CHECK(client_address("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", trusted) == "198.51.100.7");  // the first untrusted from the right
    CHECK(client_address("127.0.0.1", "", trusted) == "127.0.0.1");
    CHECK(client_address("127.0.0.1", "not an address", trusted) == "127.0.0.1");
    CHECK(client_address("127.0.0.1", "evil<script>, 10.0.0.2", trusted) == "10.0.0.2");
    CHECK(client_address("::1", "2001:db8::1", {"::1"}) == "2001:db8::1");
}

TEST_CASE("a bucket lets a burst through, then refills at its rate, per client") {
    client_limits limits({{60, 3}, {10, 2}, 100});
    auto writes = client_limits::bucket::public_writes;
    for (int i = 0; i < 3; ++i) CHECK_FALSE(limits.take(writes, "a", 100.0));
    auto wait = limits.take(writes, "a", 100.0);
    REQUIRE(wait);
    CHECK(*wait == 1);
    CHECK_FALSE(limits.take(writes, "b", 100.0));  // someone else is not affected
    CHECK_FALSE(limits.take(writes, "a", 101.0));  // a second later, one more
    CHECK(limits.take(writes, "a", 101.0));
    auto failed = client_limits::bucket::failed_credentials;
    CHECK_FALSE(limits.peek(failed, "a", 100.0));
    CHECK_FALSE(limits.take(failed, "a", 100.0));
    CHECK_FALSE(limits.take(failed, "a", 100.0));
    CHECK(limits.peek(failed, "a", 100.0).value() == 6);  // 10 a minute: a token every 6 s
}

TEST_CASE("new rules from a reload apply at once, and what a client used stays used") {
    client_limits limits({{60, 2}, {10, 2}, 100});
    auto writes = client_limits::bucket::public_writes;
    CHECK_FALSE(limits.take(writes, "a", 10.0));
    limits.reconfigure({{6, 5}, {10, 2}, 100});
    CHECK_FALSE(limits.take(writes, "a", 10.0));  // one token left from the old burst
    auto wait = limits.take(writes, "a", 10.0);
    REQUIRE(wait);
    CHECK(*wait == 10);  // the new rate: 6 a minute
    for (int i = 0; i < 5; ++i) CHECK_FALSE(limits.take(writes, "new", 10.0));  // a new client gets the new burst
    CHECK(limits.take(writes, "new", 10.0));
}

TEST_CASE("the buckets held stay bounded whatever the number of clients") {
    client_limits limits({{60, 1}, {60, 1}, 50});
    for (int i = 0; i < 1000; ++i) limits.take(client_limits::bucket::public_writes, "c" + std::to_string(i), 5.0);
    CHECK(limits.clients() <= 50);
}

TEST_CASE("the authorize redirect carries state, PKCE and the host's scope") {
    sign_in_app app{"my-app", "ENV", "secret", "https://gitee.com/oauth/authorize", "https://gitee.com/oauth/token", "https://gitee.com/api/v5"};
    auto url = authorize_redirect(app, *sign_in_defaults_of("gitee"), "https://lb.example/auth/gitee/callback", "STATE", "CHALLENGE");
    CHECK(url.starts_with("https://gitee.com/oauth/authorize?client_id=my-app&redirect_uri=https%3A%2F%2Flb.example%2Fauth%2Fgitee%2Fcallback"));
    CHECK(url.find("&scope=user_info&state=STATE&code_challenge=CHALLENGE&code_challenge_method=S256") != std::string::npos);
    auto github = authorize_redirect(app, *sign_in_defaults_of("github"), "x", "S", "C");
    CHECK(github.find("scope=") == std::string::npos);  // the login needs no scope
}

TEST_CASE("the code is exchanged in each host's documented shape") {
    sign_in_app app{"id", "ENV", "s3cret", "", "https://h/token", ""};
    auto form = token_request(app, *sign_in_defaults_of("github"), "CODE", "https://lb/cb", "VERIFIER");
    CHECK(form.url == "https://h/token");
    CHECK(form.body == "grant_type=authorization_code&code=CODE&client_id=id&client_secret=s3cret&redirect_uri=https%3A%2F%2Flb%2Fcb&code_verifier=VERIFIER");
    auto gitcode = token_request(app, *sign_in_defaults_of("gitcode"), "CODE", "https://lb/cb", "V");
    CHECK(gitcode.url == "https://h/token?grant_type=authorization_code&code=CODE&client_id=id");
    CHECK(gitcode.body == "client_secret=s3cret&redirect_uri=https%3A%2F%2Flb%2Fcb&code_verifier=V");
    auto atomgit = token_request(app, *sign_in_defaults_of("atomgit"), "CODE", "https://lb/cb", "V");
    CHECK(atomgit.content_type == "application/json");
    CHECK(atomgit.body.find("\"code\":\"CODE\"") != std::string::npos);
}

TEST_CASE("the user is read with the token where each host documents it") {
    sign_in_app app{"id", "ENV", "s", "", "", "https://api.h/v5"};
    auto gitee = user_request_for(app, *sign_in_defaults_of("gitee"), "tok+en/=");
    CHECK(gitee.url == "https://api.h/v5/user?access_token=tok%2Ben%2F%3D");
    CHECK(gitee.authorization.empty());
    for (const char* host : {"github", "gitcode", "atomgit", "gitlab"}) {
        auto asked = user_request_for(app, *sign_in_defaults_of(host), "T");
        CHECK(asked.url == "https://api.h/v5/user");
        CHECK(asked.authorization == "Bearer T");
    }
}

TEST_CASE("what the host answers is read strictly") {
    CHECK(std::get<std::string>(read_token_answer(R"({"access_token":"gho_abc","token_type":"bearer"})")) == "gho_abc");
    auto refused = read_token_answer(R"({"error":"bad_verification_code","error_description":"<b>echo</b>"})");
    CHECK(std::get<sign_in_failure>(refused).reason == "the host refused the code: bad_verification_code");
    CHECK(std::holds_alternative<sign_in_failure>(read_token_answer("<html>sign in</html>")));
    CHECK(std::holds_alternative<sign_in_failure>(read_token_answer(R"({"access_token":""})")));
    const auto& github = *find_host("github");
    auto account = std::get<host_account>(read_host_account(github, *sign_in_defaults_of("github"), R"({"id":583231,"login":"octocat"})"));
    CHECK((account.id == "583231" && account.login == "octocat"));
    auto gitlab = std::get<host_account>(read_host_account(*find_host("gitlab"), *sign_in_defaults_of("gitlab"), R"({"id":7,"username":"a.b"})"));
    CHECK(gitlab.login == "a.b");
    auto gitcode = std::get<host_account>(read_host_account(*find_host("gitcode"), *sign_in_defaults_of("gitcode"), R"({"id":"65f1","login":"gc"})"));
    CHECK(gitcode.id == "65f1");
    CHECK(std::holds_alternative<sign_in_failure>(read_host_account(github, *sign_in_defaults_of("github"), R"({"login":"octocat"})")));
    CHECK(std::holds_alternative<sign_in_failure>(read_host_account(github, *sign_in_defaults_of("github"), R"({"id":1,"login":"-bad-"})")));
}

TEST_CASE("the callback's query, the return path and cookies") {
    std::string state(43, 'A');
    auto ok = std::get<callback_query>(read_callback_query({{"code", "abc"}, {"state", state}}));
    CHECK(ok.code == "abc");
    auto denied = std::get<callback_query>(read_callback_query({{"error", "access_denied"}, {"state", state}}));
    CHECK(denied.error == "access_denied");
    CHECK(std::holds_alternative<sign_in_failure>(read_callback_query({{"code", "abc"}, {"state", "short"}})));
    CHECK(std::holds_alternative<sign_in_failure>(read_callback_query({{"code", std::string(600, 'x')}, {"state", state}})));
    CHECK(local_return_path("/join.html?lang=zh"));
    for (const char* bad : {"", "https://elsewhere", "//elsewhere", "/\\elsewhere", "join", "/a b", "/a\\b"}) CHECK_FALSE(local_return_path(bad));
    CHECK(cookie_value("a=1; lb_session=XYZ; b=2", "lb_session") == "XYZ");
    CHECK(cookie_value("xlb_session=1", "lb_session").empty());
    CHECK(looks_like_random_token(std::string(43, '_')));
    CHECK_FALSE(looks_like_random_token(std::string(42, 'a')));
}
