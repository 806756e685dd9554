#pragma once
// Where reproduction submissions and participants' submission tokens are kept.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "contest.hpp"
#include "redis_types.hpp"
#include "reproductions.hpp"

namespace lb::engine {

// Stores a new submission (its id and sequence already set) unless one with that id
// exists; the reply is 1 when stored, 0 when it already existed.
redis_command store_submission_command(const contest& c, const submission& s);

// Optionally replaces one submission (a verdict) and appends an audit entry, then
// returns the state of the whole model at a new revision: {revision, json...}.
// Awards derived from one reply carry that revision as their version, so the
// decision taken last wins whatever order the awards are applied in.
redis_command decide_model_command(const contest& c, const std::string& model_id, const submission* changed,
                                   const std::string& audit_entry);
struct model_state {
    std::int64_t revision = 0;
    std::vector<submission> submissions;
};
std::optional<model_state> parse_model_state(const redis_value& reply);

// Re-decides a model (after storing `changed`, when given) and applies every award it is
// worth now. done gets the state decided on, the awards, how many moved, or an error.
using decision_handler = std::function<void(std::optional<model_state>, std::vector<award>, int moved, std::string error)>;
void decide_model(redis_executor& redis, const contest& c, const model_rule& model, const submission* changed,
                  const std::string& audit_entry, decision_handler done);

// Submission tokens are stored as SHA-256 digests; the token itself is shown once.
std::string new_submission_token();
redis_command store_token_command(const contest& c, const std::string& token, const std::string& participant_id,
                                  const std::string& audit_entry);
// Revokes every token of the participant; the reply is how many there were.
redis_command revoke_tokens_command(const contest& c, const std::string& participant_id, const std::string& audit_entry);
redis_command find_token_command(const contest& c, const std::string& token);  // reply: participant id or nil

}  // namespace lb::engine
