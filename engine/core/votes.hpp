#pragma once
// A public vote: participants hand in an entry (a link and a title); signed-in members cast one
// ballot each inside the window (up to k approvals, or k ranked places worth k..1), never for
// their own entry, replaceable until the close; organizers may void a ballot. The tally turns
// into one award per entry. Pure: the routes and engine/store/vote_store.cpp read and store.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "award.hpp"
#include "contest.hpp"
#include "write_refusal.hpp"

namespace lb::engine {

struct vote_entry {
    std::string participant;
    std::string url;
    std::string title;
    unix_seconds handed_at = 0;

    nlohmann::json to_json() const;
    static std::optional<vote_entry> from_text(std::string_view text);
};

struct ballot {
    std::string voter;                 // the member's community id
    std::vector<std::string> entries;  // participant ids, in the voter's order (a ranked ballot's places)
    unix_seconds cast_at = 0;
    std::string client;                // the address it came from, for the organizers' fraud signals
    bool voided = false;
    std::string void_reason;
    std::string voided_by;

    nlohmann::json to_json() const;
    static std::optional<ballot> from_text(std::string_view text);
};

// The rule of a vote component, or nullptr (unknown component, or not a vote).
const component_rule* find_vote(const contest& c, std::string_view component_id);

// The participant's entry {"url", "title"} at `now`: taken (and replaced) until the vote opens.
std::variant<vote_entry, write_refusal> read_vote_entry(const component_rule& rule, const nlohmann::json& body, unix_seconds now);

// The voter's ballot {"entries": [participant ids]} at `now`: inside the window, 1..k distinct
// entries that exist, none of them `own_entry` (the voter's own, "" for none).
std::variant<ballot, write_refusal> read_ballot(const component_rule& rule, const nlohmann::json& body, const std::set<std::string>& entries,
                                                std::string_view own_entry, unix_seconds now);

struct vote_tally {
    std::map<std::string, long long> votes;  // participant -> approvals, or Borda points
    long long ballots = 0;                   // counted (not voided)
    long long most = 0;
};
// Voided ballots and votes for entries that no longer exist count for nothing.
vote_tally count_ballots(const vote_rules& rule, const std::vector<ballot>& ballots, const std::set<std::string>& entries);

// An entry's points: max × votes / most votes (rounded half up), or votes × points_per_vote up to max.
centi vote_points(const component_rule& rule, const vote_tally& tally, long long votes);

// One award per entry of a participant on the roster ("vote:<component>:<participant>"), counted at `at`.
std::vector<award> vote_awards(const contest& c, const component_rule& rule, const vote_tally& tally, const std::vector<vote_entry>& entries,
                               std::int64_t version, unix_seconds at);

// Whether tallies may be shown at `now` (after the close, or live).
bool tallies_visible(const vote_rules& rule, unix_seconds now);

// What organizers look at before trusting a vote: per ballot, how many ballots came from the
// same client address, whether the voter joined after the window opened, and whether an identical
// ballot was cast within `burst_seconds` of it.
struct ballot_signals {
    long long same_client = 1;
    bool joined_after_open = false;
    bool burst = false;
};
inline constexpr unix_seconds burst_seconds = 10;
std::vector<ballot_signals> signals_of(const vote_rules& rule, const std::vector<ballot>& ballots,
                                       const std::map<std::string, unix_seconds>& joined_at);

}  // namespace lb::engine
