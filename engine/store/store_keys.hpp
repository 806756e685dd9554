#pragma once
// The key layout of the store, defined here once (store/lua/prelude.lua builds the same
// names inside the scripts, which declare every key they touch in KEYS). Every key of one
// contest starts with "lb:{<id>}:" so the contest lives in one Redis Cluster slot.
#include <string>
#include <string_view>

namespace lb::engine::keys {

// One allocation per key: every award names a score of them.
inline std::string join(std::string_view a, std::string_view b, std::string_view c = {}, std::string_view d = {},
                        std::string_view e = {}) {
    std::string out;
    out.reserve(a.size() + b.size() + c.size() + d.size() + e.size());
    out.append(a).append(b).append(c).append(d).append(e);
    return out;
}

inline std::string prefix(std::string_view contest_id) { return "lb:{" + std::string(contest_id) + "}:"; }
// A host's author ids (GitLab's hooks name no login) -> login, as its API answered.
inline std::string authors(std::string_view host) { return "lb:{webhooks}:authors:" + std::string(host); }
// A recompute's boards, contributor sets and indexes are built under this prefix, then renamed over the live ones.
inline std::string rebuild_prefix(std::string_view c) { return prefix(c) + "rebuild:"; }

// The keys the award script touches, under a prefix: the contest's own, or a recompute's rebuild.
struct space {
    std::string p;
    std::string ledger() const { return join(p, "ledger"); }
    std::string log() const { return join(p, "log"); }
    std::string audit() const { return join(p, "audit"); }
    std::string board(std::string_view b) const { return join(p, "board:", b); }
    std::string frozen_board(std::string_view b) const { return join(p, "frozen:", b); }
    std::string frozen_boards() const { return join(p, "frozen_boards"); }
    std::string manual_freeze() const { return join(p, "frozen_now"); }
    std::string unfrozen() const { return join(p, "unfrozen"); }
    // The awards that count for a member, by time. A team's "teams" and "teams:<kind>" rows
    // have the same awards, so they share one set ("ctr:teams:<team>").
    std::string contributors(std::string_view b, std::string_view member) const {
        return join(p, "ctr:", b.starts_with("teams:") ? "teams" : b, ":", member);
    }
    std::string pending(std::string_view login) const { return join(p, "pending:", login); }
    std::string unattributed() const { return join(p, "unattributed"); }
    std::string subjects(std::string_view participant) const { return join(p, "subjects:", participant); }
    std::string delivery(std::string_view id) const { return join(p, "delivery:", id); }
    // Set while a recompute swaps its rebuilt boards in: awards wait (the receivers spool them).
    std::string held() const { return join(p, "held"); }
    // Set when the contest is final (a hash: at, actor, checksums): awards then change no board.
    std::string final_state() const { return join(p, "final"); }
    // The awards that arrived after the contest was final, kept by subject but not counted.
    std::string after_final() const { return join(p, "after_final"); }
    // Which tie encoding the boards are in (tie_order.hpp's label); awards wait while it is another.
    std::string tie_encoding() const { return join(p, "tie_encoding"); }
};

inline space live(std::string_view c) { return {prefix(c)}; }
inline std::string_view contributor_board(std::string_view b) { return b.starts_with("teams:") ? "teams" : b; }

inline std::string ledger(std::string_view c) { return live(c).ledger(); }
inline std::string log(std::string_view c) { return live(c).log(); }
inline std::string audit(std::string_view c) { return live(c).audit(); }
inline std::string board(std::string_view c, std::string_view b) { return live(c).board(b); }
inline std::string frozen_board(std::string_view c, std::string_view b) { return live(c).frozen_board(b); }
inline std::string frozen_boards(std::string_view c) { return live(c).frozen_boards(); }
inline std::string manual_freeze(std::string_view c) { return live(c).manual_freeze(); }
inline std::string unfrozen(std::string_view c) { return live(c).unfrozen(); }
inline std::string contributors(std::string_view c, std::string_view b, std::string_view member) {
    return live(c).contributors(b, member);
}
inline std::string pending(std::string_view c, std::string_view login) { return live(c).pending(login); }
inline std::string unattributed(std::string_view c) { return live(c).unattributed(); }
inline std::string subjects(std::string_view c, std::string_view participant) { return live(c).subjects(participant); }
inline std::string delivery(std::string_view c, std::string_view id) { return live(c).delivery(id); }
inline std::string held(std::string_view c) { return live(c).held(); }
inline std::string final_state(std::string_view c) { return live(c).final_state(); }
inline std::string after_final(std::string_view c) { return live(c).after_final(); }
inline std::string tie_encoding(std::string_view c) { return live(c).tie_encoding(); }
// Which judge is judging a submission now (expires, so a judge who walked away frees it).
inline std::string claim(std::string_view c, std::string_view sid) { return prefix(c) + "claim:" + std::string(sid); }

// The ETag of each host API page reconcile went through whole (by URL, never with a token).
inline std::string reconcile_etags(std::string_view c) { return prefix(c) + "reconcile:etags"; }
// Where a replay into this contest stands: the file's checksum and the next line.
inline std::string replay_state(std::string_view c) { return prefix(c) + "replay"; }

inline std::string roster_teams(std::string_view c) { return prefix(c) + "roster:teams"; }
inline std::string roster_participants(std::string_view c) { return prefix(c) + "roster:participants"; }
inline std::string roster_revision(std::string_view c) { return prefix(c) + "roster:rev"; }
inline std::string submissions(std::string_view c) { return prefix(c) + "submissions"; }
inline std::string submission_sequence(std::string_view c) { return prefix(c) + "submission_seq"; }
// Homework handed in: "<component>:<assignment>:<participant>" -> the hand-in (engine/core/homework.hpp).
inline std::string homework(std::string_view c) { return prefix(c) + "homework"; }
// A vote component's entries (participant -> entry), ballots (voter's community id -> ballot), the
// ballots' version (raised by every cast and void), the version last tallied into awards, and how
// many ballots are voided (so "how many voted" needs no ballot read).
inline std::string vote_entries(std::string_view c, std::string_view component) { return prefix(c) + "vote:" + std::string(component) + ":entries"; }
inline std::string vote_ballots(std::string_view c, std::string_view component) { return prefix(c) + "vote:" + std::string(component) + ":ballots"; }
inline std::string vote_version(std::string_view c, std::string_view component) { return prefix(c) + "vote:" + std::string(component) + ":version"; }
inline std::string vote_tallied(std::string_view c, std::string_view component) { return prefix(c) + "vote:" + std::string(component) + ":tallied"; }
inline std::string vote_voided(std::string_view c, std::string_view component) { return prefix(c) + "vote:" + std::string(component) + ":voided"; }
inline std::string model_submissions(std::string_view c, std::string_view model) { return prefix(c) + "model:" + std::string(model) + ":submissions"; }
inline std::string model_revision(std::string_view c, std::string_view model) { return prefix(c) + "model:" + std::string(model) + ":rev"; }
inline std::string tokens(std::string_view c) { return prefix(c) + "tokens"; }
inline std::string idempotency(std::string_view c, std::string_view key) { return prefix(c) + "idem:" + std::string(key); }
inline std::string recompute_lock(std::string_view c) { return prefix(c) + "recompute"; }
// The stage reveal after an unfreeze: {rev, value}, value the reveal state as JSON.
inline std::string reveal(std::string_view c) { return prefix(c) + "reveal"; }

}  // namespace lb::engine::keys
