#include "tie_order.hpp"

#include <cmath>

namespace lb::engine {

bool time_fits(unix_seconds at, unix_seconds time_base) { return at - time_base < time_slots; }

std::optional<double> encode_rank_score(rank_key key, unix_seconds time_base) {
    if (key.points > max_abs_total_centi || key.points < -max_abs_total_centi) return std::nullopt;
    if (!time_fits(key.reached_at, time_base)) return std::nullopt;
    std::int64_t offset = key.reached_at < time_base ? 0 : key.reached_at - time_base;
    return static_cast<double>(-key.points * time_slots + offset);
}

rank_key decode_rank_score(double score, unix_seconds time_base) {
    auto value = static_cast<std::int64_t>(score);
    // Floor division: offset is always in [0, time_slots).
    std::int64_t quotient = value >= 0 ? value / time_slots : -((-value + time_slots - 1) / time_slots);
    std::int64_t offset = value - quotient * time_slots;
    return {-quotient, time_base + offset};
}

}  // namespace lb::engine
