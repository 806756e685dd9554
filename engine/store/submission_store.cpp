#include "submission_store.hpp"

#include "crypto.hpp"


#include "award_store.hpp"
#include "lua_script.hpp"
#include "random.hpp"
#include "store_keys.hpp"

namespace lb::engine {
namespace {


}  // namespace

redis_command store_submission_command(const contest& c, const submission& s) {
    return {{"2", keys::submissions(c.id), keys::model_submissions(c.id, s.model), s.id, s.to_json().dump()},
            &store_submission_script()};
}

redis_command decide_model_command(const contest& c, const std::string& model_id, const submission* changed,
                                   const std::string& audit_entry) {
    return {{"4", keys::submissions(c.id), keys::model_submissions(c.id, model_id), keys::model_revision(c.id, model_id),
             keys::audit(c.id), changed ? changed->id : "", changed ? changed->to_json().dump() : "", audit_entry},
            &decide_model_script()};
}

std::optional<model_state> parse_model_state(const redis_value& reply) {
    if (reply.kind != redis_value::type::array || reply.elements.empty()) return std::nullopt;
    model_state state;
    state.revision = reply.elements[0].integer;
    for (std::size_t i = 1; i < reply.elements.size(); ++i) {
        if (auto s = submission::from_text(reply.elements[i].text)) state.submissions.push_back(std::move(*s));
    }
    return state;
}

void decide_model(redis_executor& redis, const contest& c, const model_rule& model, const submission* changed,
                  const std::string& audit_entry, decision_handler done) {
    redis.execute({decide_model_command(c, model.id, changed, audit_entry)},
                  [&redis, &c, &model, done = std::move(done)](std::vector<redis_value> replies) mutable {
                      if (replies.at(0).is_error()) return done(std::nullopt, {}, 0, replies[0].text);
                      auto state = parse_model_state(replies[0]);
                      if (!state) return done(std::nullopt, {}, 0, "unexpected reply deciding a model");
                      auto awards = reproduction_awards(c, model, state->submissions, state->revision);
                      auto store = std::make_shared<award_store>(redis);
                      store->apply_all(c, awards, [store, state, awards, done = std::move(done)](int moved, std::string error) mutable {
                          done(std::move(state), std::move(awards), moved, std::move(error));
                      });
                  });
}

std::string new_submission_token() {
    auto bytes = random_hex(24);
    return bytes.empty() ? "" : "lbt_" + bytes;
}

redis_command store_token_command(const contest& c, const std::string& token, const std::string& participant_id,
                                  const std::string& audit_entry) {
    return {{"2", keys::tokens(c.id), keys::audit(c.id), sha256_hex(token), participant_id, audit_entry}, &store_token_script()};
}

redis_command revoke_tokens_command(const contest& c, const std::string& participant_id, const std::string& audit_entry) {
    return {{"2", keys::tokens(c.id), keys::audit(c.id), participant_id, audit_entry}, &revoke_tokens_script()};
}

redis_command find_token_command(const contest& c, const std::string& token) {
    return {{"HGET", keys::tokens(c.id), sha256_hex(token)}};
}

}  // namespace lb::engine
