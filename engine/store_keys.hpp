#pragma once
// Every key of one contest starts with "lb:{<id>}:" so the contest lives in one
// Redis Cluster slot; scripts derive further keys from that prefix.
#include <string>
#include <string_view>

namespace lb::engine::keys {

inline std::string prefix(std::string_view contest_id) { return "lb:{" + std::string(contest_id) + "}:"; }
inline std::string ledger(std::string_view c) { return prefix(c) + "ledger"; }
inline std::string log(std::string_view c) { return prefix(c) + "log"; }
inline std::string board(std::string_view c, std::string_view b) { return prefix(c) + "board:" + std::string(b); }
inline std::string frozen_board(std::string_view c, std::string_view b) { return prefix(c) + "frozen:" + std::string(b); }
inline std::string frozen_boards(std::string_view c) { return prefix(c) + "frozen_boards"; }
inline std::string unfrozen(std::string_view c) { return prefix(c) + "unfrozen"; }
// The awards that count for a member, by time. A team's "teams" and "teams:<kind>" rows
// have the same awards, so they share one set ("ctr:teams:<team>").
inline std::string_view contributor_board(std::string_view b) { return b.starts_with("teams:") ? "teams" : b; }
inline std::string contributors(std::string_view c, std::string_view b, std::string_view member) {
    return prefix(c) + "ctr:" + std::string(contributor_board(b)) + ":" + std::string(member);
}
inline std::string pending(std::string_view c, std::string_view login) { return prefix(c) + "pending:" + std::string(login); }
inline std::string unattributed(std::string_view c) { return prefix(c) + "unattributed"; }
inline std::string audit(std::string_view c) { return prefix(c) + "audit"; }
inline std::string roster_teams(std::string_view c) { return prefix(c) + "roster:teams"; }
inline std::string roster_participants(std::string_view c) { return prefix(c) + "roster:participants"; }
inline std::string roster_revision(std::string_view c) { return prefix(c) + "roster:rev"; }
inline std::string subjects(std::string_view c, std::string_view participant) { return prefix(c) + "subjects:" + std::string(participant); }
inline std::string submissions(std::string_view c) { return prefix(c) + "submissions"; }
inline std::string submission_sequence(std::string_view c) { return prefix(c) + "submission_seq"; }
inline std::string model_submissions(std::string_view c, std::string_view model) { return prefix(c) + "model:" + std::string(model) + ":submissions"; }
inline std::string model_revision(std::string_view c, std::string_view model) { return prefix(c) + "model:" + std::string(model) + ":rev"; }
inline std::string tokens(std::string_view c) { return prefix(c) + "tokens"; }
inline std::string manual_freeze(std::string_view c) { return prefix(c) + "frozen_now"; }
inline std::string idempotency(std::string_view c, std::string_view key) { return prefix(c) + "idem:" + std::string(key); }

}  // namespace lb::engine::keys
