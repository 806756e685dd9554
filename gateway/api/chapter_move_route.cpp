// An organizer moving a person to another chapter from a time on. The contests they take part in
// read their roster again (the mover's participant gets the move, engine/core/team_moves.hpp) and
// re-derive the participant's awards, so points after the move land on the new chapter's team.
#include <memory>

#include <nlohmann/json.hpp>

#include "api/community_common.hpp"
#include "api/handlers.hpp"
#include "award_store.hpp"
#include "clock.hpp"
#include "json_reader.hpp"
#include "people_store.hpp"
#include "person_activity.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

// Contest after contest: read the roster again, then re-derive the mover's awards there.
struct move_follower : std::enable_shared_from_this<move_follower> {
    app_context* app = nullptr;
    std::vector<std::pair<const engine::contest*, std::string>> parts;  // contest, the mover's participant
    std::size_t next = 0;
    json answer;
    respond_fn respond;

    void step() {
        if (next == parts.size()) return respond(json_ok(answer));
        auto [c, participant] = parts[next++];
        app->sync->refresh(*c, [self = shared_from_this(), c, participant](std::string error) {
            if (!error.empty()) return self->respond(redis_failure(error));
            auto store = std::make_shared<engine::award_store>(self->app->redis);
            store->refresh_participants(*c, {participant}, [self, store](int moved, std::string error) {
                if (!error.empty()) return self->respond(redis_failure(error));
                self->answer["awards_moved"] = self->answer["awards_moved"].get<int>() + moved;
                self->step();
            });
        });
    }
};

void follow_move(app_context& app, const std::string& id, const json& person, json answer, respond_fn respond) {
    auto follower = std::make_shared<move_follower>();
    follower->app = &app;
    follower->answer = std::move(answer);
    follower->respond = std::move(respond);
    auto logins = engine::logins_in(person);
    for (const auto& c : app.config().contests)
        if (const auto* p = engine::participant_for(c, id, logins)) follower->parts.emplace_back(&c, p->id);
    follower->step();
}

}  // namespace

void move_person_chapter(route_call& call, respond_fn respond) {
    if (community_closed(call, respond)) return;
    const auto& cfg = call.app.config();
    const auto& id = call.param("person");
    if (!engine::looks_like_community_id(cfg.community, id))
        return respond(json_error(404, "unknown_person", "person: expected a community id such as " + engine::format_community_id(cfg.community, 1)));
    auto parsed = json_object_body(call.request);
    if (auto* refusal = std::get_if<api_response>(&parsed)) return respond(std::move(*refusal));
    auto read = engine::read_chapter_move(std::get<json>(parsed));
    if (auto* error = std::get_if<engine::sign_up_error>(&read)) return respond(field_error(400, "bad_field", error->field, error->message));
    const auto& move = std::get<engine::chapter_move>(read);
    auto now = engine::now_seconds();
    auto since = move.since.value_or(now);
    if (since > now) return respond(field_error(400, "bad_field", "since", "since: a move takes effect now or in the past, not later"));
    auto& app = call.app;
    app.redis.execute({engine::move_chapter_command(id, move, since, now, call.who.actor)},
                           [&app, id, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
                               auto result = engine::read_move_reply(replies.at(0));
                               using outcome = engine::move_result::outcome;
                               switch (result.kind) {
                                   case outcome::moved:
                                   case outcome::unchanged: {
                                       auto record = engine::parse_untrusted_json(result.record);
                                       auto person = record.ok() && record.value.is_object() ? record.value : json::object();
                                       json answer{{"person", id}, {"moved", result.kind == outcome::moved},
                                                   {"memberships", memberships_view(person)}, {"awards_moved", 0}};
                                       if (result.kind == outcome::unchanged) return respond(json_ok(answer));
                                       return follow_move(app, id, person, std::move(answer), std::move(respond));
                                   }
                                   case outcome::unknown:
                                       return respond(json_error(404, "unknown_person", "person: no member of the community has the id \"" + id + "\""));
                                   case outcome::too_early:
                                       return respond(field_error(409, "move_refused", "since",
                                                                  "since: the chapter in force began at " +
                                                                      engine::format_rfc3339(std::atoll(result.current_since.c_str())) +
                                                                      "; a move must come after it"));
                                   case outcome::failed: return respond(redis_failure(result.error));
                               }
                           });
}

}  // namespace lb::gateway
