#pragma once
// How "more points first, then who reached them first, then id" becomes one
// sorted-set score.
//
// Redis orders members of equal score by their bytes, ascending, and a
// reverse range reverses that too. So boards are read with ascending ranges
// over a *negated* key:
//
//     score = -points * 2^26 + (reached_at - time_base)
//
// points are centi-points, time in seconds since the contest's time base (its
// starts_at; anything earlier counts as reached at the start). A smaller score
// is a better rank: more points, then earlier, then the id's bytes ascending.
// The score must stay an integer a double holds exactly (|score| <= 2^53), so
// time offsets are limited to [0, 2^26) s (about 776 days: a 400-day contest and
// its late awards) and |points| to 2^27 - 1 centi-points (1,342,177.27 points).
// Out-of-range inputs are refused, never rounded. Versions before 2026-12-02 used
// 2^24 s; their boards are rebuilt once (store/tie_encoding.hpp).
#include <cstdint>
#include <optional>
#include <string_view>

#include "fixed_points.hpp"
#include "rfc3339.hpp"

namespace lb::engine {

inline constexpr std::int64_t time_slots = std::int64_t{1} << 26;
// Stored beside a contest's boards (and checked by the award script): which encoding they are in.
inline constexpr std::string_view tie_encoding_label = "score=-centi*2^26+seconds";

struct rank_key {
    centi points = 0;
    unix_seconds reached_at = 0;
};

// nullopt when points or time fall outside the exactly representable range.
std::optional<double> encode_rank_score(rank_key key, unix_seconds time_base);
rank_key decode_rank_score(double score, unix_seconds time_base);
bool time_fits(unix_seconds at, unix_seconds time_base);

}  // namespace lb::engine
