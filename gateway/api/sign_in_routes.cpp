// Signing in with a code host: /auth/{host}/start sends the browser to the host with a
// single-use state (kept in Redis with the PKCE verifier and the return path, bound to the
// browser by a cookie), /auth/{host}/callback checks and consumes it, exchanges the code, reads
// who signed in and starts a session. The host's token is used once and dropped: never stored,
// never logged. What goes wrong is a page in the visitor's language.
#include <nlohmann/json.hpp>

#include "api/handlers.hpp"
#include "api/side_threads.hpp"
#include "api/sign_in_session.hpp"
#include "crypto.hpp"
#include "people_store.hpp"
#include "random.hpp"
#include "common/host_http.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

constexpr long long state_seconds = 600;

struct page_text {
    const char* en;
    const char* zh;
};

bool wants_chinese(const api_request& request) {
    auto languages = request.headers.find("accept-language");
    if (languages == request.headers.end()) return false;
    auto zh = languages->second.find("zh"), en = languages->second.find("en");
    return zh != std::string::npos && (en == std::string::npos || zh < en);
}

std::string escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

// A sign-in that did not work: a small page, not JSON, since a browser lands on it.
api_response failure_page(const api_request& request, int status, page_text what, std::string_view detail = {}) {
    bool zh = wants_chinese(request);
    std::string title = zh ? "登录没有完成" : "Sign-in did not complete";
    std::string back = zh ? "返回报名页" : "Back to the sign-up page";
    std::string body = "<!doctype html><html lang=\"" + std::string(zh ? "zh" : "en") +
                       "\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>" + title +
                       "</title><link rel=\"stylesheet\" href=\"/join.css\"><main class=\"sign-in-failed\"><h1>" + title + "</h1><p id=\"why\">" +
                       escape(zh ? what.zh : what.en) + "</p>" + (detail.empty() ? "" : "<p><code>" + escape(detail) + "</code></p>") +
                       "<p><a href=\"/join.html\">" + back + "</a></p></main></html>";
    return {status, "text/html; charset=utf-8", std::move(body), {}};
}

api_response redirect(std::string location) {
    api_response out{302, "text/plain", "", {}};
    out.headers.emplace_back("Location", std::move(location));
    out.headers.emplace_back("Cache-Control", "no-store");
    return out;
}

const engine::sign_in_app* app_for(const route_call& call, const engine::sign_in_defaults** defaults, const engine::host_info** host) {
    const auto& id = call.param("host");
    *host = engine::find_host(id);
    *defaults = engine::sign_in_defaults_of(id);
    const auto& apps = call.app.config().community.sign_in;
    auto it = apps.find(id);
    if (!*host || !*defaults || it == apps.end() || !call.app.config().community.registration_open) return nullptr;
    return &it->second;
}

std::string own_origin(const route_call& call) {
    auto host = call.request.headers.find("host");
    return std::string(came_over_tls(call) ? "https://" : "http://") + (host == call.request.headers.end() ? "localhost" : host->second);
}

// Who signed in, once the host has said so: their community id by the host's id of the account
// (a rename is followed; a login freed and taken by someone else is not them), the session they
// may already have (a second host is added to it), then a fresh session id.
void start_session(app_context& app, api_request request, engine::host_account account, std::string return_path, bool tls,
                   respond_fn respond) {
    auto old_id = request_cookie(request, session_cookie_name);
    std::vector<engine::redis_command> reads{{{"HGET", engine::keys::community("accounts"), account.host + ":" + account.id}}};
    if (engine::looks_like_random_token(old_id)) reads.push_back({{"GET", session_key(old_id)}});
    app.redis.execute(std::move(reads), [&app, request = std::move(request), account, return_path, tls, old_id,
                                         respond = std::move(respond)](std::vector<engine::redis_value> replies) mutable {
        for (const auto& reply : replies)
            if (reply.is_error()) return respond(failure_page(request, 503, {"The store cannot be reached right now; please try again.",
                                                                              "暂时无法访问存储，请稍后再试。"}));
        signed_in who;
        if (replies.size() > 1 && !replies[1].is_nil())
            if (auto kept = read_session_record(replies[1].text)) who = std::move(*kept);
        std::erase_if(who.accounts, [&](const engine::host_account& a) { return a.host == account.host; });
        who.accounts.push_back(account);
        if (!replies[0].is_nil()) who.person = replies[0].text;
        auto id = engine::random_token();
        if (id.empty()) return respond(failure_page(request, 503, {"No session could be made; please try again.", "无法创建会话，请重试。"}));
        std::vector<engine::redis_command> writes{{{"SET", session_key(id), engine::to_text(session_record(who)), "EX", std::to_string(session_seconds)}}};
        if (!old_id.empty()) writes.push_back({{"DEL", session_key(old_id)}});
        app.redis.execute(std::move(writes), [request, id, return_path, tls, respond = std::move(respond)](std::vector<engine::redis_value> done) {
            if (done.at(0).is_error()) return respond(failure_page(request, 503, {"The store cannot be reached right now; please try again.",
                                                                                 "暂时无法访问存储，请稍后再试。"}));
            auto answer = redirect(return_path);
            answer.headers.emplace_back("Set-Cookie", cookie(session_cookie_name, id, "/", session_seconds, tls));
            answer.headers.emplace_back("Set-Cookie", cookie(sign_in_cookie_name, "", "/auth/", 0, tls));
            respond(std::move(answer));
        });
    });
}

}  // namespace

void start_sign_in(route_call& call, respond_fn respond) {
    const engine::sign_in_defaults* defaults = nullptr;
    const engine::host_info* host = nullptr;
    const auto* app = app_for(call, &defaults, &host);
    if (!app) return respond(failure_page(call.request, 404, {"This server does not offer sign-in with that host.", "本站不支持用该平台登录。"}));
    auto return_path = call.query("return", "/join.html");
    if (!engine::local_return_path(return_path))
        return respond(failure_page(call.request, 400, {"return: expected a path on this site, such as /join.html.", "return：应为本站的路径，例如 /join.html。"}));
    auto state = engine::random_token(), verifier = engine::random_token(), binding = engine::random_token();
    if (state.empty() || verifier.empty() || binding.empty())
        return respond(failure_page(call.request, 503, {"No sign-in could be started; please try again.", "无法开始登录，请重试。"}));
    auto redirect_uri = own_origin(call) + "/auth/" + std::string(host->id) + "/callback";
    json record{{"host", host->id}, {"verifier", verifier}, {"return", return_path}, {"binding", engine::sha256_hex(binding)},
                {"redirect_uri", redirect_uri}};
    auto location = engine::authorize_redirect(*app, *defaults, redirect_uri, state, engine::base64url(engine::sha256(verifier)));
    bool tls = came_over_tls(call);
    call.app.redis.execute({{{"SET", sign_in_state_key(state), engine::to_text(record), "EX", std::to_string(state_seconds), "NX"}}},
                           [request = call.request, location, binding, tls, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
                               if (replies.at(0).is_error() || replies[0].is_nil())
                                   return respond(failure_page(request, 503, {"No sign-in could be started; please try again.", "无法开始登录，请重试。"}));
                               auto answer = redirect(location);
                               answer.headers.emplace_back("Set-Cookie", cookie(sign_in_cookie_name, binding, "/auth/", state_seconds, tls));
                               respond(std::move(answer));
                           });
}

void finish_sign_in(route_call& call, respond_fn respond) {
    const engine::sign_in_defaults* defaults = nullptr;
    const engine::host_info* host = nullptr;
    const auto* app = app_for(call, &defaults, &host);
    if (!app) return respond(failure_page(call.request, 404, {"This server does not offer sign-in with that host.", "本站不支持用该平台登录。"}));
    auto read = engine::read_callback_query(call.target.query);
    if (auto* failure = std::get_if<engine::sign_in_failure>(&read))
        return respond(failure_page(call.request, 400, {"The host sent back something this server did not ask for.", "平台返回了本站未请求的内容。"},
                                    failure->reason));
    auto callback = std::get<engine::callback_query>(read);
    auto binding = request_cookie(call.request, sign_in_cookie_name);
    // The state is taken whatever follows: a callback replayed finds nothing.
    call.app.redis.execute(
        {{{"GETDEL", sign_in_state_key(callback.state)}}},
        [&app_context = call.app, request = call.request, callback, binding, host, defaults, sign_in = *app, tls = came_over_tls(call),
         respond = std::move(respond)](std::vector<engine::redis_value> replies) mutable {
            if (replies.at(0).is_error())
                return respond(failure_page(request, 503, {"The store cannot be reached right now; please try again.", "暂时无法访问存储，请稍后再试。"}));
            auto record = replies[0].is_nil() ? engine::parsed_json{{}, "none"} : engine::parse_untrusted_json(replies[0].text);
            if (!record.ok() || !record.value.is_object())
                return respond(failure_page(request, 400, {"This sign-in link was already used or has expired; please sign in again.",
                                                           "该登录链接已使用或已过期，请重新登录。"}));
            auto kept_binding = engine::string_at(record.value, "binding").value_or("");
            if (engine::string_at(record.value, "host").value_or("") != host->id || !engine::looks_like_random_token(binding) ||
                !engine::constant_time_equals(engine::sha256_hex(binding), kept_binding))
                return respond(failure_page(request, 400, {"This sign-in was started in another browser or for another host; please sign in again.",
                                                           "该登录不是在此浏览器中开始的，请重新登录。"}));
            if (!callback.error.empty())
                return respond(failure_page(request, 403, {"The host did not sign you in (you may have declined).", "平台没有完成登录（可能您拒绝了授权）。"},
                                            callback.error));
            auto verifier = engine::string_at(record.value, "verifier").value_or("");
            auto redirect_uri = engine::string_at(record.value, "redirect_uri").value_or("");
            auto return_path = engine::string_at(record.value, "return").value_or("/join.html");
            run_on_side_thread([&app_context, request = std::move(request), callback, verifier, redirect_uri, return_path, host, defaults,
                                sign_in, tls, respond = std::move(respond)]() mutable {
                auto exchange = engine::token_request(sign_in, *defaults, callback.code, redirect_uri, verifier);
                http_call token_call{"POST", exchange.url, {{"Accept", "application/json"}, {"Content-Type", exchange.content_type}},
                                     exchange.body, std::chrono::seconds(10), 64 * 1024};
                auto answer = send_http(token_call);
                auto refused = page_text{"The host did not accept this sign-in; please try again.", "平台没有接受此次登录，请重试。"};
                if (answer.status != 200) return respond(failure_page(request, 502, refused, "HTTP " + std::to_string(answer.status)));
                auto token = engine::read_token_answer(answer.body);
                if (auto* failure = std::get_if<engine::sign_in_failure>(&token)) return respond(failure_page(request, 502, refused, failure->reason));
                auto asked = engine::user_request_for(sign_in, *defaults, std::get<std::string>(token));
                http_call user_call{"GET", asked.url, {{"Accept", "application/json"}}, "", std::chrono::seconds(10), 256 * 1024};
                if (!asked.authorization.empty()) user_call.headers.emplace("Authorization", std::move(asked.authorization));
                auto user = send_http(user_call);
                if (user.status != 200) return respond(failure_page(request, 502, refused, "HTTP " + std::to_string(user.status)));
                auto account = engine::read_host_account(*host, *defaults, user.body);
                if (auto* failure = std::get_if<engine::sign_in_failure>(&account)) return respond(failure_page(request, 502, refused, failure->reason));
                start_session(app_context, std::move(request), std::get<engine::host_account>(account), return_path, tls, std::move(respond));
            });
        });
}

// ?contest=<id> also names the participant of that contest whose login the visitor proved
// (null when none), so the phone view can show a signed-in visitor their own row.
void session_status(route_call& call, respond_fn respond) {
    json hosts = json::array();
    for (const auto& [id, app] : call.app.config().community.sign_in) hosts.push_back(id);
    auto contest_id = call.query("contest");
    if (!contest_id.empty() && !call.app.config().find_contest(contest_id))
        return respond(json_error(404, "not_found", "query.contest: no contest \"" + contest_id + "\""));
    auto& app = call.app;
    read_session(app, call.request, [&app, hosts, contest_id, respond = std::move(respond)](std::optional<signed_in> who, std::string error) {
        if (!error.empty()) return respond(redis_failure(error));
        if (!who) return respond(json_ok({{"signed_in", false}, {"sign_in_hosts", hosts}}));
        json accounts = json::array();
        for (const auto& a : who->accounts) accounts.push_back({{"host", a.host}, {"login", a.login}});
        json answer{{"signed_in", true}, {"accounts", accounts}, {"person", who->person}, {"sign_in_hosts", hosts}};
        if (!contest_id.empty()) {
            const engine::participant* p = nullptr;
            if (const auto* c = app.config().find_contest(contest_id))  // a reload meanwhile may have dropped it
                for (const auto& account : who->accounts)
                    if (!p) p = c->find_by_login(account.host, account.login);
            answer["participant"] = p ? json(p->id) : json(nullptr);
        }
        respond(json_ok(std::move(answer)));
    });
}

void sign_out(route_call& call, respond_fn respond) {
    auto id = request_cookie(call.request, session_cookie_name);
    if (!engine::looks_like_random_token(id)) return respond(json_ok({{"signed_in", false}}));
    if (!same_site_write(call.request, call.app.config()))
        return respond(cross_site_refusal());
    bool tls = came_over_tls(call);
    call.app.redis.execute({{{"DEL", session_key(id)}}}, [tls, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        auto answer = json_ok({{"signed_in", false}});
        answer.headers.emplace_back("Set-Cookie", cookie(session_cookie_name, "", "/", 0, tls));
        respond(std::move(answer));
    });
}

}  // namespace lb::gateway
