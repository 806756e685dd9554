// What the big screen and the phone view ask besides the live stream: finding a person,
// the stage reveal's state and its presenter's steps, and the contest's logos.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "api/handlers.hpp"
#include "lua_script.hpp"
#include "presentation_config.hpp"
#include "stage_reveal.hpp"
#include "store_keys.hpp"
#include "utf8.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

inline constexpr std::size_t max_found = 10;

// The stored reveal ({rev, value} from HMGET), as the screens get it.
engine::reveal_state stored_reveal(const engine::redis_value& reply) {
    engine::reveal_state state;
    if (reply.elements.size() != 2 || reply.elements[1].is_nil()) return state;
    auto parsed = json::parse(reply.elements[1].text, nullptr, false);
    state = engine::reveal_state::from_json(parsed);
    state.rev = std::strtoll(reply.elements[0].text.c_str(), nullptr, 10);
    return state;
}

void write_reveal(app_context& app, const engine::contest& c, engine::reveal_request request, int attempts_left, respond_fn respond) {
    auto key = engine::keys::reveal(c.id);
    app.redis.execute({{{"HMGET", key, "rev", "value"}}}, [&app, &c, key, request, attempts_left, respond = std::move(respond)](auto replies) {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        auto now = stored_reveal(replies[0]);
        auto next = engine::apply_reveal(now, request, c);
        if (auto* error = std::get_if<std::string>(&next)) return respond(json_error(409, "reveal_refused", *error));
        auto state = std::get<engine::reveal_state>(next);
        auto value = state.to_json();
        value.erase("rev");
        engine::redis_command cas{{"1", key, std::to_string(now.rev), value.dump()}, &engine::replace_versioned_script()};
        app.redis.execute({std::move(cas)}, [&app, &c, request, attempts_left, state, respond](auto written) mutable {
            if (written.at(0).is_error()) return respond(redis_failure(written[0].text));
            if (written[0].integer == 0) {
                // Another presenter's step came first: apply this one to what is there now.
                if (attempts_left == 0) return respond(json_error(409, "reveal_busy", "the reveal changed meanwhile; try again"));
                return write_reveal(app, c, request, attempts_left - 1, std::move(respond));
            }
            state.rev = written[0].integer;
            respond(json_ok(state.to_json()));
        });
    });
}

}  // namespace

void find_participants(route_call& call, respond_fn respond) {
    auto q = call.query("q");
    if (q.empty() || q.size() > 100 || !engine::valid_utf8(q))
        return respond(json_error(400, "bad_query", "q: expected 1 to 100 bytes of UTF-8 (a name or a login)"));
    auto needle = engine::to_lower_ascii(q);
    json found = json::array();
    for (const auto& p : call.c().members().participants()) {
        if (p.disqualified) continue;
        bool hit = engine::to_lower_ascii(p.name).find(needle) != std::string::npos ||
                   engine::to_lower_ascii(p.id).find(needle) != std::string::npos ||
                   std::any_of(p.logins.begin(), p.logins.end(), [&](const auto& login) {
                       return engine::to_lower_ascii(login.second).find(needle) != std::string::npos;
                   });
        if (!hit) continue;
        found.push_back({{"id", p.id}, {"name", p.name}, {"teams", p.teams}});
        if (found.size() == max_found) break;
    }
    respond(json_ok({{"participants", found}}));
}

void reveal_status(route_call& call, respond_fn respond) {
    call.app.redis.execute({{{"HMGET", engine::keys::reveal(call.c().id), "rev", "value"}}}, [respond = std::move(respond)](auto replies) {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        respond(json_ok(stored_reveal(replies[0]).to_json()));
    });
}

void reveal_control(route_call& call, respond_fn respond) {
    auto body = json_object_body(call.request);
    if (auto* refusal = std::get_if<api_response>(&body)) return respond(std::move(*refusal));
    auto request = engine::parse_reveal_request(std::get<json>(body));
    if (auto* error = std::get_if<std::string>(&request)) return respond(json_error(400, "bad_field", *error));
    write_reveal(call.app, call.c(), std::get<engine::reveal_request>(std::move(request)), 3, std::move(respond));
}

void branding_file(route_call& call, respond_fn respond) {
    const auto& name = call.param("file");
    auto type = engine::logo_content_type(name);
    // Only the logos the configuration names are served: nothing else in that folder leaks.
    bool named = false;
    for (const auto& c : call.app.config().contests) {
        named = named || c.branding.logo == name;
        for (const auto& [team, b] : c.team_branding) named = named || b.logo == name;
    }
    if (!type || !named) return respond(json_error(404, "not_found", "no such logo"));
    std::ifstream file(call.app.config().branding_dir + "/" + name, std::ios::binary);
    if (!file) return respond(json_error(404, "not_found", "no such logo"));
    std::stringstream content;
    content << file.rdbuf();
    // An SVG logo is an image, never a document: no script runs from it even when opened directly.
    respond({200, std::string(*type), content.str(),
             {{"Cache-Control", "max-age=300"}, {"X-Content-Type-Options", "nosniff"},
              {"Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:"}}});
}

}  // namespace lb::gateway
