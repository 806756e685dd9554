// Participants' reproduction-submission tokens: issued (shown once) and revoked.
#include <nlohmann/json.hpp>

#include "api/handlers.hpp"
#include "submission_store.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

namespace {

const engine::participant* find_participant(const route_call& call, respond_fn& respond) {
    const auto& pid = call.param("pid");
    const engine::participant* p = call.c().find_participant(pid);
    if (!p) respond(json_error(404, "unknown_participant", "contest \"" + call.c().id + "\" has no participant \"" + pid + "\""));
    return p;
}

}  // namespace

void issue_token(route_call& call, respond_fn respond) {
    const engine::participant* p = find_participant(call, respond);
    if (!p) return;
    auto action = read_body_action(call, false);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    auto token = engine::new_submission_token();
    if (token.empty()) return respond(json_error(500, "no_randomness", "could not draw a random token"));
    auto audit = audit_entry(std::get<admin_action>(action), "issue_token", {{"participant", p->id}});
    call.app.redis.execute({engine::store_token_command(call.c(), token, p->id, engine::to_text(audit))},
                           [pid = p->id, token, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
                               if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
                               respond(json_ok({{"participant", pid}, {"token", token}, {"note", "shown once; only its digest is kept"}}, 201));
                           });
}

void revoke_tokens(route_call& call, respond_fn respond) {
    const engine::participant* p = find_participant(call, respond);
    if (!p) return;
    auto action = read_body_action(call, false);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    auto audit = audit_entry(std::get<admin_action>(action), "revoke_tokens", {{"participant", p->id}});
    call.app.redis.execute({engine::revoke_tokens_command(call.c(), p->id, engine::to_text(audit))},
                           [pid = p->id, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
                               if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
                               respond(json_ok({{"participant", pid}, {"revoked", replies[0].integer}}));
                           });
}

}  // namespace lb::gateway
