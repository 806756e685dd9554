#pragma once
// Model reproductions: submissions, verdicts, and the awards one model is worth.
// Pure: the store hands in every submission of a model, this decides.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "award.hpp"
#include "contest.hpp"
#include "scoring.hpp"

namespace lb::engine {

struct submission {
    std::string id;  // "s17", or "pr:github:owner/repo#12" for a labelled pull request
    std::string participant;
    std::string model;
    nlohmann::json claimed = nlohmann::json::object();  // metrics as the participant reported them
    std::string evidence_url;
    unix_seconds submitted_at = 0;
    long long sequence = 0;           // arrival order; breaks ties of submitted_at
    std::string verdict = "pending";  // "pending", "accepted", "rejected"
    std::optional<double> measured;   // the judge's measurement of the model's metric
    bool auto_accepted = false;       // a labelled PR in a contest that accepts those without a judge
    std::string judge;
    std::string verdict_reason;
    unix_seconds judged_at = 0;

    nlohmann::json to_json() const;
    static std::optional<submission> from_json(const nlohmann::json& j);
    // A stored submission record (JSON text); nullopt when it is not one.
    static std::optional<submission> from_text(std::string_view text);
};

// Accepted, and the measured metric lies within tolerance of the target
// (|measured - target| <= tolerance). Auto-accepted PRs have no measurement and qualify.
bool qualifies(const model_rule& model, const submission& s);

// Every award this model is worth now, all with the given version so that a later
// decision always replaces an earlier one:
// "reproduction:<model>:<participant>" for each participant who submitted it (points when
// one of their submissions qualifies, else 0), and "first_bonus:<model>" for the earliest
// submitted qualifying submission of a participant still in the contest.
std::vector<award> reproduction_awards(const contest& c, const model_rule& model, const std::vector<submission>& submissions,
                                       std::int64_t version);

// The model a merged PR claims to reproduce through a "reproduce/<model id>" label
// (matched like every label: case, '-', '_' and spaces alike), if the contest has it.
const model_rule* reproduction_label_model(const contest& c, const pull_request_facts& pr);

// The submission such a PR makes: one per PR, accepted without a judge when the
// contest says so.
submission submission_from_pull_request(const contest& c, const model_rule& model, const participant& author,
                                        const pull_request_facts& pr);

}  // namespace lb::engine
