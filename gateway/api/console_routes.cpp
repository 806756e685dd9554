// What the console reads and the last step of a contest: who a token is, the contest at a
// glance (clock, counts, webhook health), and finalize, which locks the standings.
#include <nlohmann/json.hpp>

#include "api/handlers.hpp"
#include "certificate_store.hpp"
#include "vote_store.hpp"
#include "reproductions.hpp"
#include "store_keys.hpp"
#include "untrusted_json.hpp"
#include "clock.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

std::string clock_state(const engine::contest& c, engine::unix_seconds now) {
    if (c.is_final()) return "final";
    if (now < c.starts_at) return "before";
    if (now >= c.ends_at) return c.public_frozen(now) ? "ended_frozen" : "ended";
    return c.public_frozen(now) ? "frozen" : "running";
}

json final_json(const engine::redis_value& hash) {
    if (hash.elements.empty()) return nullptr;
    json out = json::object();
    for (std::size_t i = 0; i + 1 < hash.elements.size(); i += 2) out[hash.elements[i].text] = hash.elements[i + 1].text;
    return out;
}

}  // namespace

api_response final_refusal(const engine::contest& c) {
    return json_error(409, "contest_final", "contest \"" + c.id + "\" is final: its standings are locked");
}

void whoami(route_call& call, respond_fn respond) {
    json contests = json::array();
    for (const auto& c : call.app.config().contests) contests.push_back(c.id);
    respond(json_ok({{"actor", call.who.actor}, {"role", call.who.admin ? "admin" : "judge"}, {"contests", contests}}));
}

void reload_config(route_call& call, respond_fn respond) {
    if (!call.app.reload_config) return respond(json_error(404, "not_found", "this process does not reload its config"));
    auto action = read_body_action(call, false);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    call.app.reload_config([respond = std::move(respond)](json answer, bool ok) {
        if (ok) return respond(json_ok(answer));
        bool busy = answer.value("error", "") == "reload_in_progress";
        bool store = answer.value("error", "") == "redis_unavailable";
        respond(json_ok(answer, busy ? 409 : store ? 503 : 422));
    });
}

void overview(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    auto& app = call.app;
    auto now = engine::now_seconds();
    app.redis.execute({{{"HLEN", engine::keys::ledger(c.id)}}, {{"HVALS", engine::keys::submissions(c.id)}},
                       {{"SCARD", engine::keys::unattributed(c.id)}}, {{"HGETALL", engine::keys::final_state(c.id)}},
                       {{"HLEN", engine::keys::after_final(c.id)}}},
                      [&app, &c, now, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
                          for (const auto& reply : replies)
                              if (reply.is_error()) return respond(redis_failure(reply.text));
                          long long pending = 0;
                          for (const auto& row : replies[1].elements)
                              if (auto s = engine::submission::from_text(row.text); s && s->verdict == "pending") ++pending;
                          json clock{{"now", now}, {"starts_at", c.starts_at}, {"ends_at", c.ends_at},
                                     {"freeze_at", c.freeze_at ? json(*c.freeze_at) : json(nullptr)}, {"state", clock_state(c, now)},
                                     {"public_frozen", c.public_frozen(now)}};
                          json counts{{"participants", c.members().participants().size()}, {"awards", replies[0].integer},
                                      {"submissions", replies[1].elements.size()}, {"pending_submissions", pending},
                                      {"unattributed_logins", replies[2].integer}, {"after_final", replies[4].integer}};
                          // The hosts this config receives from, and any other that delivered anyway (refused).
                          json hosts = app.health ? app.health->snapshot(now) : json::object();
                          for (auto it = hosts.begin(); it != hosts.end();)
                              if (!app.config().webhooks.of(it.key()).configured && (*it)["last_delivery_at"].is_null()) it = hosts.erase(it);
                              else ++it;
                          json webhooks{{"hosts", hosts},
                                        {"spool_pending", app.counters.spool_depth ? json(app.counters.spool_depth()) : json(nullptr)},
                                        {"redis", app.redis_ready() ? "ready" : "unavailable"}};
                          json judges = json::array();
                          for (const auto& j : app.config().judges) judges.push_back({{"id", j.id}, {"name", j.name}});
                          respond(json_ok({{"contest", c.id}, {"clock", clock}, {"counts", counts}, {"webhooks", webhooks},
                                           {"final", final_json(replies[3])}, {"judges", judges}}));
                      });
}

namespace {

// Locks the standings (audited), then issues every placed participant's certificate.
void lock_standings(app_context& app, const engine::contest& c, const std::string& at, const admin_action& who, const json& audit,
                    respond_fn respond) {
    app.redis.execute({{{"HSET", engine::keys::final_state(c.id), "at", at, "actor", who.actor, "reason", who.reason}},
                       {{"XADD", engine::keys::audit(c.id), "*", "entry", engine::to_text(audit)}}},
                      [&app, &c, at, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
                          if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
                          c.set_final(true);
                          json answer{{"final", true}, {"outcome", "applied"}, {"at", at}};
                          if (c.placings.empty()) return respond(json_ok(std::move(answer)));
                          engine::issue_certificates(app.redis, c, engine::now_seconds(), [answer, respond](std::vector<json> records, std::string error) mutable {
                              if (!error.empty()) answer["certificates_error"] = error;  // final all the same; the console issues them again
                              answer["certificates"] = records.size();
                              respond(json_ok(std::move(answer)));
                          });
                      });
}

}  // namespace

void finalize(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    auto action = read_body_action(call, false);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    auto now = engine::now_seconds();
    if (c.is_final()) return respond(json_ok({{"final", true}, {"outcome", "unchanged"}}));
    if (now < c.ends_at)
        return respond(json_error(409, "not_ended", "the contest ends at " + engine::format_rfc3339(c.ends_at) + "; finalize after that"));
    // Publishing frozen standings as final would skip the reveal and hide the last hour.
    if (c.public_frozen(now))
        return respond(json_error(409, "still_frozen", "the public view is frozen: unfreeze (and reveal) first, then finalize"));
    auto who = std::get<admin_action>(action);
    auto at = engine::format_rfc3339(now);
    auto audit = audit_entry(who, "finalize");
    auto& app = call.app;
    // A vote that closed a moment ago counts: its tally is applied before the standings are locked.
    engine::tally_every_vote(app.redis, c, now, [&app, &c, at, who, audit, respond = std::move(respond)](std::string error) mutable {
        if (!error.empty()) return respond(redis_failure(error));
        lock_standings(app, c, at, who, audit, std::move(respond));
    });
}

}  // namespace lb::gateway
