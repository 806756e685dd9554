#pragma once
// Homework: a participant hands in a link and a short note per assignment of a judged
// component; a judge scores it 0..max with a comment; each scored assignment is an award.
// Pure: the routes read and store, this decides.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "award.hpp"
#include "contest.hpp"
#include "write_refusal.hpp"

namespace lb::engine {

struct hand_in {
    std::string component;
    std::string assignment;
    std::string participant;
    std::string url;
    std::string note;
    unix_seconds handed_at = 0;
    bool late = false;
    std::optional<centi> score;  // set once a judge scored it
    std::string judge;
    std::string comment;
    unix_seconds scored_at = 0;

    // "<component>:<assignment>:<participant>" (ids hold no ':'): one per participant and assignment.
    std::string id() const;
    nlohmann::json to_json() const;
    // A stored record; nullopt when it is not one.
    static std::optional<hand_in> from_text(std::string_view text);
};


// The participant's body {"component", "assignment", "url", "note"?}, checked against the
// contest's rules at `now` (open, not past due unless late ones are accepted). On success the
// hand-in, without participant, is returned with handed_at and late set.
std::variant<hand_in, write_refusal> read_hand_in(const contest& c, const nlohmann::json& body, unix_seconds now);

// The judge's body {"points": 0..max, "comment"?}.
struct homework_score {
    centi points = 0;
    std::string comment;
};
std::variant<homework_score, write_refusal> read_homework_score(const component_rule& rule, const nlohmann::json& body);

// What a scored assignment is worth: its score ("combine": "sum") or its share of the mean
// (score / number of assignments, "combine": "mean"), counted at `at`.
award homework_award(const contest& c, const participant& p, const component_rule& rule, const hand_in& h, std::int64_t version,
                     unix_seconds at);

// A hand-in's id read back: nullopt unless it is "<component>:<assignment>:<participant>".
struct hand_in_key {
    std::string component;
    std::string assignment;
    std::string participant;
};
std::optional<hand_in_key> read_hand_in_id(std::string_view id);

}  // namespace lb::engine
