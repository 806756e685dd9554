#pragma once
#include <functional>
#include <string>
#include <vector>

#include "award.hpp"
#include "redis_types.hpp"

namespace lb::engine {

// held: a recompute is swapping the contest's boards in; nothing was written (spool it, or retry).
// after_final: the contest is final; the award was kept aside and moved no board.
enum class apply_outcome { applied, unchanged, stale, duplicate, held, after_final, refused, failed };
const char* to_string(apply_outcome outcome);

struct apply_result {
    apply_outcome outcome = apply_outcome::failed;
    std::string log_id;                     // when applied
    std::string error;                      // refused or failed
    std::vector<std::string> missing_keys;  // the script needs these declared too (the stored award's)
};

// Public boards stop moving once freeze_at has passed (until an unfreeze).
bool freeze_time_passed(const contest& c, unix_seconds now);
// The view argument of the read scripts: "" for the admin (live) view, else "1"
// or "0" for whether freeze_at has passed (the scripts add the manual switches).
std::string board_view(const contest& c, bool public_view, unix_seconds now);

struct apply_options {
    std::string delivery_key;  // "<host>:<delivery id>" (Gitee: the body's sha256): a redelivery is a no-op
    std::string audit_entry;   // appended to the audit log when the award is applied
    std::string space;         // the keys' prefix: "" for the contest's own; a recompute's rebuild prefix
    bool rebuild = false;      // replaying into a recompute's rebuild (space): no hold check, never frozen copies
    std::vector<std::string> extra_keys;  // keys the script asked for (the award it replaces lands there)
};

// The command that applies awards atomically (all in one step), declaring every key it knows
// they touch; refuses (nullopt) when an award's time does not fit the tie encoding. Each
// subject at most once.
std::optional<redis_command> apply_awards_command(const contest& c, const std::vector<const award*>& awards, unix_seconds now,
                                                  const apply_options& options);
std::optional<redis_command> apply_award_command(const contest& c, const award& a, unix_seconds now, const apply_options& options);
// One result per award given; an answer for the whole call (held, duplicate, keys asked,
// an error) is repeated in each.
std::vector<apply_result> parse_apply_replies(const redis_value& reply, std::size_t awards);
apply_result parse_apply_reply(const redis_value& reply);

// How many awards go into one script call: Redis runs a call alone, so a longer list is
// applied in steps of this size (each atomic).
inline constexpr std::size_t awards_per_call = 500;

class award_store {
public:
    explicit award_store(redis_executor& redis) : redis_(redis) {}

    // Sets the award's subject to its new value and moves every board by the
    // difference. Applying the same award again is "unchanged"; an older
    // version than the stored one is "stale".
    // (The award is taken by value: move it in, it is kept for a repeated call.)
    void apply(const contest& c, award a, std::function<void(apply_result)> done, const std::string& delivery_key = "",
               const std::string& audit_entry = "");
    // The same with every option; the keys of the award it replaces are learnt from the
    // script and the call repeated with them declared.
    void apply(const contest& c, award a, apply_options options, std::function<void(apply_result)> done);

    // Re-derives every award kept for a login that now belongs to a registered
    // participant, and applies them. done gets how many moved, or an error.
    void attribute_unregistered(const contest& c, std::function<void(int, std::string)> done);

    // Re-derives every award of these participants under the current roster (kept PRs
    // of their logins included) and applies those that changed: after an import moved
    // them between teams, a disqualification or a reinstatement.
    void refresh_participants(const contest& c, const std::vector<std::string>& ids, std::function<void(int, std::string)> done);

    // Applies the awards in one step (a reader sees all of them or none): a verdict's
    // reproduction and first-bonus awards, a judge's sheet. Each subject at most once.
    void apply_together(const contest& c, std::vector<award> awards, apply_options options,
                        std::function<void(std::vector<apply_result>)> done);

    // Applies awards in steps of awards_per_call, each one atomic; done gets how many moved,
    // or the first error.
    void apply_all(const contest& c, std::vector<award> awards, std::function<void(int, std::string)> done);

private:
    redis_executor& redis_;
};

}  // namespace lb::engine
