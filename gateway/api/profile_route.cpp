// A person's public profile: who they are, their level on the community's ladder, and every
// contest they took part in with its points and awards (engine/store/person_activity.hpp).
#include <nlohmann/json.hpp>

#include "api/community_common.hpp"
#include "api/handlers.hpp"
#include "award.hpp"
#include "levels.hpp"
#include "people_store.hpp"
#include "person_activity.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

json person_view(const json& stored) {
    json out = {{"id", engine::string_at(stored, "id").value_or("")},
                {"name", engine::string_at(stored, "name").value_or("")},
                {"registered_at", when(stored, "registered_at")},
                {"approved_at", when(stored, "approved_at")},
                {"memberships", memberships_view(stored)}};
    for (const auto& host : engine::all_hosts()) out[std::string(host.id)] = engine::string_at(stored, std::string(host.id)).value_or("");
    return out;
}

}  // namespace

void person_profile(route_call& call, respond_fn respond) {
    if (community_closed(call, respond)) return;
    const auto& id = call.param("person");
    const engine::config& cfg = call.app.config();
    if (!engine::looks_like_community_id(cfg.community, id))
        return respond(json_error(404, "unknown_person", "person: expected a community id such as " + engine::format_community_id(cfg.community, 1)));
    auto& app = call.app;
    // The person, and the certificates of the levels they reached (level id -> certificate id).
    std::vector<engine::redis_command> reads{engine::person_command(id), {{"HGETALL", "lb:{certificates}:person:" + id}}};
    app.redis.execute(std::move(reads), [&app, &cfg, id, respond = std::move(respond)](std::vector<engine::redis_value> replies) mutable {
        const auto& reply = replies.at(0);
        if (reply.is_error()) return respond(redis_failure(reply.text));
        if (replies.at(1).is_error()) return respond(redis_failure(replies[1].text));
        json certificates = json::array();
        const auto& pairs = replies[1].elements;
        for (std::size_t i = 0; i + 1 < pairs.size(); i += 2)
            certificates.push_back({{"level", pairs[i].text}, {"id", pairs[i + 1].text}, {"url", "/certificates/" + pairs[i + 1].text}});
        if (reply.is_nil()) return respond(json_error(404, "unknown_person", "person: no member of the community has the id \"" + id + "\""));
        auto parsed = engine::parse_untrusted_json(reply.text);
        if (!parsed.ok()) return respond(json_error(500, "bad_record", "the stored person could not be read"));
        engine::read_person_activity(app.redis, cfg, id, parsed.value, true,
                                     [&cfg, certificates, profile = person_view(parsed.value), respond = std::move(respond)](auto activity, std::string error) mutable {
            if (!activity) return respond(redis_failure(error));
            profile["certificates"] = certificates;
            profile["contests"] = std::move(activity->contests);
            profile["points"] = engine::points_json(activity->totals.points);
            profile["merged_prs"] = activity->totals.merged_prs;
            profile["level"] = engine::level_json(cfg.community.ladder, activity->totals);
            respond(json_ok(profile));
        });
    });
}

}  // namespace lb::gateway
