#pragma once
// Signing in with a code host (OAuth 2.0 authorization code with PKCE), the pure parts: each
// host's public endpoints, the redirect to the host, the code exchange's request, and reading
// what comes back from outside (the callback's query, the token answer, the user JSON, cookies,
// the return path). The gateway does the I/O (gateway/api/sign_in_routes.cpp).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "community.hpp"
#include "hosts.hpp"

namespace lb::engine {

// How a host wants the code exchanged: a form body (RFC 6749), the fields in the query with the
// secret in a form (GitCode's documented shape), or a JSON body (AtomGit's).
enum class token_style { form, query_and_form, json };

struct sign_in_defaults {
    std::string_view host;
    std::string_view authorize_url;
    std::string_view token_url;
    std::string_view scope;       // "" when the login needs none
    token_style style = token_style::form;
    std::string_view login_field;  // where /user names the login: "login", GitLab's "username"
    bool token_in_query = false;   // /user takes ?access_token= (Gitee's documented shape), not a Bearer header
};

const sign_in_defaults* sign_in_defaults_of(std::string_view host);
std::string sign_in_host_list();

// Where the browser is sent: the app's authorize URL with client_id, redirect_uri, state,
// response_type=code, the scope and the S256 PKCE challenge.
std::string authorize_redirect(const sign_in_app& app, const sign_in_defaults& host, std::string_view redirect_uri,
                               std::string_view state, std::string_view code_challenge);

struct outgoing_request {
    std::string url;
    std::string content_type;
    std::string body;
};
// The code exchange, as the host documents it (Accept: application/json is the caller's).
outgoing_request token_request(const sign_in_app& app, const sign_in_defaults& host, std::string_view code,
                               std::string_view redirect_uri, std::string_view code_verifier);

// Reading the user with the access token, as the host documents it: the URL and the
// Authorization header ("" when the token travels in the query).
struct user_request {
    std::string url;
    std::string authorization;
};
user_request user_request_for(const sign_in_app& app, const sign_in_defaults& host, std::string_view access_token);

struct sign_in_failure {
    std::string reason;  // for the visitor's page and the log: never a token or a code
};

// The access token of the host's answer; a failure when it is an error or not JSON.
std::variant<std::string, sign_in_failure> read_token_answer(std::string_view body);

// Who the host says signed in: its immutable id (a number or a string, kept as text) and the login.
struct host_account {
    std::string host;
    std::string id;
    std::string login;
};
std::variant<host_account, sign_in_failure> read_host_account(const host_info& host, const sign_in_defaults& defaults,
                                                              std::string_view body);

// The callback's query: code and state, or the host's error (error=access_denied).
struct callback_query {
    std::string code;
    std::string state;
    std::string error;  // the host's error code, "" when there is a code
};
std::variant<callback_query, sign_in_failure> read_callback_query(const std::map<std::string, std::string>& query);

// A path on this server to return to: "/join?x=1" yes; "//elsewhere", "https://...", "/\\x",
// control characters or more than 512 bytes no (then "/join" is used).
bool local_return_path(std::string_view path);

// A cookie's value in a Cookie header ("" when absent); names compare exactly.
std::string cookie_value(std::string_view header, std::string_view name);

// Random values for state, verifier and session ids: 43 characters of base64url.
bool looks_like_random_token(std::string_view text);

}  // namespace lb::engine
