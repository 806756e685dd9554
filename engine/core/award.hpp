#pragma once
// An award is what one subject (a PR, a reproduction, a judged score, an
// adjustment) is worth now, and where those points land on the boards.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "scoring.hpp"

namespace lb::engine {

struct contribution {
    std::string board;
    std::string member;
    centi value = 0;
    bool operator==(const contribution&) const = default;
};

struct award {
    std::string subject;        // "github:owner/repo#123", "adjustment:<id>"
    std::string kind;           // "pull_request", "adjustment", ...
    std::string component;      // "pull_requests", "adjustments", "<component id>"
    std::string participant;    // empty while unattributed
    std::string pending_login;  // "github:bob" when the author is not registered (yet)
    centi points = 0;           // before the component weight
    unix_seconds at = 0;        // the moment this value counts from, for ties
    std::int64_t version = 0;   // a lower version never replaces a higher one
    std::string reason;
    nlohmann::json details = nlohmann::json::object();  // PR facts, adjustment actor, ...
    std::vector<contribution> contributions;

    nlohmann::json to_json() const;
    // The same record as to_json().dump(), byte for byte, without building the tree
    // (every webhook stores one).
    std::string to_json_text() const;
    // nullopt for a record of another shape (never throws, whatever it holds).
    static std::optional<award> from_json(const nlohmann::json& record);
};

// A stored award record (ledger, award log) back into an award; nullopt when it is not one.
std::optional<award> read_award_record(std::string_view text);

// The participant's teams at a time: the roster's, each kind replaced by the latest move of
// that kind made by then.
std::vector<std::string> teams_at(const contest& c, const participant& p, unix_seconds at);

// Where a participant's points for one component, counting from `at`, land: the participant
// board, the component board, and each of the participant's team boards at that time.
std::vector<contribution> contributions_for(const contest& c, const participant& p, std::string_view component,
                                            centi points, unix_seconds at);

// What a PR is worth in this contest now and where it lands: the derived part of its
// award, without the details (recompute compares this against the ledger cheaply).
struct pull_request_placement {
    centi points = 0;
    std::string reason;
    unix_seconds at = 0;
    std::string participant;    // empty while unattributed
    std::string pending_login;  // "github:bob" when the author is not registered
    std::vector<contribution> contributions;
};
pull_request_placement place_pull_request(const contest& c, const pull_request_facts& pr);

// The award a PR is worth in this contest now; unattributed when the author is unknown.
award make_pull_request_award(const contest& c, const pull_request_facts& pr);

// When a judged score or an adjustment given now counts: now, within the contest's window
// (one given after the end counts at the end, one before the start at the start).
unix_seconds awarded_at(const contest& c, unix_seconds now);

// A judge's (or organizer's) score of a judged component for one participant; its reason
// defaults to "judged <component>" (the page names the component itself then).
award make_component_award(const contest& c, const participant& p, std::string_view component, centi points,
                           unix_seconds at, std::int64_t version, std::string reason, std::string judge);

// An organizer's adjustment: points given or taken with a reason, under its own id.
award make_adjustment_award(const contest& c, const participant& p, std::string_view id, centi points, unix_seconds at,
                            std::string reason, std::string actor);

// The same award re-derived under the contest's current rules and registrations
// (used when a participant registers and by recompute).
award rederive_award(const contest& c, const award& stored);

// Whole points print as integers (11), others with their decimals (26.25).
nlohmann::json points_json(centi value);

nlohmann::json facts_to_json(const pull_request_facts& pr);
// nullopt unless every field facts_to_json writes is there with its type.
std::optional<pull_request_facts> facts_from_json(const nlohmann::json& json);

}  // namespace lb::engine
