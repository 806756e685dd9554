#pragma once
// Seasons: contests grouped with weights, ranked per person (community id) and per chapter.
// A person's chapter of a kind is the membership in force when the points were earned, so a
// person who moves from one city to another leaves the points earned before with the old one.
// Pure: the store reads the boards, people and, for people who moved, their dated awards.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "json_reader.hpp"

namespace lb::engine {

struct membership {
    std::string kind;     // "city", "school", "company"
    std::string chapter;  // as the person or an organizer wrote it ("上海")
    unix_seconds since = 0;
    std::optional<unix_seconds> until;  // set when the person moved on
};

// The stored person's memberships (entries of another shape are skipped).
std::vector<membership> read_memberships(const nlohmann::json& person);

// What a season's figures need of a stored person, read from its text with simdjson (a season
// asks it of every member: a hundred thousand records): the memberships as read_memberships reads
// them, and when they signed up. None when the text is not a JSON object.
struct member_facts {
    std::vector<membership> memberships;
    std::optional<unix_seconds> registered_at;
};
std::optional<member_facts> read_member_facts(std::string_view record);
// Only when they signed up (a contest's figures need no more), by the same rule.
std::optional<unix_seconds> registered_at_of(std::string_view record);
using member_facts_by_id = std::unordered_map<std::string, member_facts>;  // community id -> facts

// The chapter of this kind at a time: the membership in force (since <= at < until); before the
// first one, the first one; "" when the person has none of the kind.
std::string chapter_at(const std::vector<membership>& memberships, std::string_view kind, unix_seconds at);
// Whether the person belonged to more than one chapter of the kind (their points need dates).
bool moved_within(const std::vector<membership>& memberships, std::string_view kind);

struct season_total {
    centi points = 0;
    unix_seconds reached_at = 0;  // the latest of the times each part was reached: ties go to the earlier
};

struct season_row {
    long long rank = 0;
    std::string id;
    centi points = 0;
    unix_seconds reached_at = 0;
};

// Points descending, then the earlier reached_at, then the id: a strict order.
std::vector<season_row> rank_season(const std::map<std::string, season_total>& totals);

// "seasons": [{"id": "2026", "title": "…", "contests": [{"id": "winter-bugbash", "weight": 1}]}]:
// ids are slugs, each contest exists and appears once a season, weights from 0.01 to 100.
void load_seasons(json_reader& r, const nlohmann::json& document, config& out);

// Boards a season has: "people" and "chapters:<kind>".
bool season_board(std::string_view board, std::string& kind);

}  // namespace lb::engine
