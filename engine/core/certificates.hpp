#pragma once
// Certificates: every participant whose final rank falls in one of the contest's placings gets
// one when the contest is final, and every member one for each level they reach (in the contest
// whose award took them up). Each has an unguessable id, printable from /certificates/<id> and
// verifiable by the hash of its content, which the final export lists. Re-issuing keeps the id
// and raises the revision when the content changed (a corrected name). Pure: the store draws ids,
// hashes and keeps them (engine/store/certificate_store.cpp).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "contest.hpp"

namespace lb::engine {

struct certificate {
    std::string id;
    std::string kind = "placing";  // or "level"
    std::string level;             // a level certificate's level id ("L2")
    std::string contest;
    localized_text contest_title;
    std::string participant;
    std::string name;
    std::string community_id;  // "" when the participant is no member of the community
    long long rank = 0;        // a placing's final rank; 0 for a level
    localized_text title;      // the placing's ("Champion", "一等奖"); a level's name
    unix_seconds ended_at = 0;  // the contest's end: the date printed
    unix_seconds issued_at = 0;
    long long revision = 1;

    // What the hash covers: everything above but issued_at (a re-issue of the same content keeps its hash).
    nlohmann::json content() const;
    nlohmann::json to_json() const;  // content and issued_at
    static std::optional<certificate> from_text(std::string_view text);
};

// A row of the final individuals' board.
struct final_rank {
    std::string participant;
    long long rank = 0;
};

// The certificates the final ranks earn (ids left empty), with the names the roster gives now.
std::vector<certificate> owed_certificates(const contest& c, const std::vector<final_rank>& ranks,
                                           const std::vector<std::string>& community_ids, unix_seconds now);

// A member's certificate for a level they reached through an award of contest c (id left empty).
certificate level_certificate(const contest& c, const participant& p, const std::string& community_id, const std::string& name,
                              const std::string& level_id, const localized_text& level_name, unix_seconds now);

// The deepest rank any placing reaches (0: the contest names none).
long long deepest_placing(const contest& c);

// A fresh certificate issued again over one kept: the kept id, and the next revision only when
// the content differs.
certificate reissue(const certificate& kept, certificate fresh);

// Ids are 32 lower-case hex characters.
bool is_certificate_id(std::string_view text);

}  // namespace lb::engine
