#pragma once
// One PR's current state scored in the contests it concerns, the same way whoever told us
// about it: a webhook delivery, a spool replay, an import, or reconcile asking the host.
// Awards are versioned by the PR's updated_at, so a PR seen twice counts once and an older
// state never overwrites a newer one.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "award_store.hpp"

namespace lb::engine {

// Whether a PR matters to a contest: it scores there, or submits one of its models.
bool pr_concerns(const contest& c, const pull_request_facts& pr);

// Per contest: the PR's award (where PRs score), then the submission a "reproduce/<model>"
// label makes. done(stored, results): stored is false when any write failed or was held
// (the caller keeps the PR and tries again); results has one entry per contest with its
// "outcome" ("applied", "unchanged", "stale", "duplicate", "after_final", "refused", ...).
// With record_activity (a config with a community), a merged PR of these contests'
// repositories is also kept as the community's activity (engine/store/merge_activity.hpp).
void score_pull_request(redis_executor& redis, const std::vector<const contest*>& contests,
                        std::shared_ptr<const pull_request_facts> pr, const std::string& delivery_key,
                        std::function<void(bool stored, nlohmann::json results)> done, bool record_activity = false);

}  // namespace lb::engine
