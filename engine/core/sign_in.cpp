#include "sign_in.hpp"

#include <algorithm>
#include <array>

#include "untrusted_json.hpp"
#include "utf8.hpp"

namespace lb::engine {
namespace {

constexpr std::array<sign_in_defaults, 5> table{{
    {"github", "https://github.com/login/oauth/authorize", "https://github.com/login/oauth/access_token", "", token_style::form, "login"},
    {"gitee", "https://gitee.com/oauth/authorize", "https://gitee.com/oauth/token", "user_info", token_style::form, "login", true},
    {"gitcode", "https://gitcode.com/oauth/authorize", "https://gitcode.com/oauth/token", "", token_style::query_and_form, "login"},
    {"atomgit", "https://atomgit.com/login/oauth/authorize", "https://api.atomgit.com/login/oauth/access_token", "", token_style::json, "login"},
    {"gitlab", "https://gitlab.com/oauth/authorize", "https://gitlab.com/oauth/token", "read_user", token_style::form, "username"},
}};

std::string form_escape(std::string_view text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string form(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
    std::string out;
    for (const auto& [name, value] : fields) {
        if (value.empty()) continue;
        if (!out.empty()) out += '&';
        out += std::string(name) + "=" + form_escape(value);
    }
    return out;
}

bool printable_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

}  // namespace

const sign_in_defaults* sign_in_defaults_of(std::string_view host) {
    for (const auto& row : table)
        if (row.host == host) return &row;
    return nullptr;
}

std::string sign_in_host_list() {
    std::string out;
    for (std::size_t i = 0; i < table.size(); ++i) out += (i ? (i + 1 == table.size() ? " or " : ", ") : "") + std::string(table[i].host);
    return out;
}

std::string authorize_redirect(const sign_in_app& app, const sign_in_defaults& host, std::string_view redirect_uri,
                               std::string_view state, std::string_view code_challenge) {
    auto query = form({{"client_id", app.client_id}, {"redirect_uri", redirect_uri}, {"response_type", "code"},
                       {"scope", host.scope}, {"state", state}, {"code_challenge", code_challenge},
                       {"code_challenge_method", code_challenge.empty() ? "" : "S256"}});
    return app.authorize_url + (app.authorize_url.find('?') == std::string::npos ? "?" : "&") + query;
}

user_request user_request_for(const sign_in_app& app, const sign_in_defaults& host, std::string_view access_token) {
    if (host.token_in_query) return {app.api_url + "/user?access_token=" + form_escape(access_token), ""};
    return {app.api_url + "/user", "Bearer " + std::string(access_token)};
}

outgoing_request token_request(const sign_in_app& app, const sign_in_defaults& host, std::string_view code,
                               std::string_view redirect_uri, std::string_view code_verifier) {
    outgoing_request out{app.token_url, "application/x-www-form-urlencoded", {}};
    switch (host.style) {
        case token_style::form:
            out.body = form({{"grant_type", "authorization_code"}, {"code", code}, {"client_id", app.client_id},
                             {"client_secret", app.client_secret}, {"redirect_uri", redirect_uri}, {"code_verifier", code_verifier}});
            break;
        case token_style::query_and_form:
            out.url += (out.url.find('?') == std::string::npos ? "?" : "&") +
                       form({{"grant_type", "authorization_code"}, {"code", code}, {"client_id", app.client_id}});
            out.body = form({{"client_secret", app.client_secret}, {"redirect_uri", redirect_uri}, {"code_verifier", code_verifier}});
            break;
        case token_style::json:
            out.content_type = "application/json";
            out.body = to_text({{"client_id", app.client_id}, {"client_secret", app.client_secret}, {"code", std::string(code)},
                                {"redirect_uri", std::string(redirect_uri)}, {"code_verifier", std::string(code_verifier)}});
            break;
    }
    return out;
}

std::variant<std::string, sign_in_failure> read_token_answer(std::string_view body) {
    auto parsed = parse_untrusted_json(body);
    if (!parsed.ok() || !parsed.value.is_object()) return sign_in_failure{"the host's token answer is not a JSON object"};
    if (auto error = string_at(parsed.value, "error")) {
        // The host's own code only ("bad_verification_code", "invalid_grant"): its description may echo input.
        std::string code = error->substr(0, 64);
        if (!printable_ascii(code)) code = "(unprintable)";
        return sign_in_failure{"the host refused the code: " + code};
    }
    auto token = string_at(parsed.value, "access_token");
    if (!token || token->empty() || token->size() > 4096 || !printable_ascii(*token))
        return sign_in_failure{"the host's token answer has no usable access_token"};
    return *token;
}

std::variant<host_account, sign_in_failure> read_host_account(const host_info& host, const sign_in_defaults& defaults,
                                                              std::string_view body) {
    auto parsed = parse_untrusted_json(body);
    if (!parsed.ok() || !parsed.value.is_object()) return sign_in_failure{"the host's user answer is not a JSON object"};
    host_account out{std::string(host.id), {}, {}};
    auto id = parsed.value.find("id");
    if (id != parsed.value.end() && id->is_number_integer()) out.id = std::to_string(id->get<long long>());
    else if (id != parsed.value.end() && id->is_number_unsigned()) out.id = std::to_string(id->get<unsigned long long>());
    else if (id != parsed.value.end() && id->is_string()) out.id = id->get<std::string>();
    if (out.id.empty() || out.id.size() > 64 || !printable_ascii(out.id)) return sign_in_failure{"the host's user answer has no usable id"};
    auto login = string_at(parsed.value, std::string(defaults.login_field));
    if (!login || !valid_login(host, *login))
        return sign_in_failure{"the host's user answer has no login of " + std::string(host.display_name) + "'s shape"};
    out.login = *login;
    return out;
}

std::variant<callback_query, sign_in_failure> read_callback_query(const std::map<std::string, std::string>& query) {
    callback_query out;
    auto value = [&](const char* key) {
        auto it = query.find(key);
        return it == query.end() ? std::string() : it->second;
    };
    out.state = value("state");
    if (!looks_like_random_token(out.state)) return sign_in_failure{"state: missing or not one this server issues"};
    out.error = value("error");
    if (!out.error.empty()) {
        if (out.error.size() > 64 || !printable_ascii(out.error)) out.error = "unknown";
        return out;
    }
    out.code = value("code");
    if (out.code.empty() || out.code.size() > 512 || !printable_ascii(out.code)) return sign_in_failure{"code: missing or not a host's code"};
    return out;
}

bool local_return_path(std::string_view path) {
    if (path.empty() || path.size() > 512 || path[0] != '/') return false;
    if (path.size() > 1 && (path[1] == '/' || path[1] == '\\')) return false;
    return std::all_of(path.begin(), path.end(), [](char c) { return c > 0x20 && c < 0x7f && c != '\\'; });
}

std::string cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        auto semicolon = header.find(';');
        auto pair = header.substr(0, semicolon);
        header = semicolon == std::string_view::npos ? std::string_view{} : header.substr(semicolon + 1);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        auto equals = pair.find('=');
        if (equals != std::string_view::npos && pair.substr(0, equals) == name) return std::string(pair.substr(equals + 1));
    }
    return {};
}

bool looks_like_random_token(std::string_view text) {
    return text.size() == 43 && std::all_of(text.begin(), text.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
           });
}

}  // namespace lb::engine
