#pragma once
// Points are kept as integer hundredths ("centi-points") everywhere below the
// JSON edge, so that sums are exact and Redis can HINCRBY them.
#include <cstdint>
#include <optional>
#include <string>

namespace lb::engine {

using centi = std::int64_t;

// Largest magnitude a board total may reach: see tie_order.hpp for why.
inline constexpr centi max_abs_total_centi = (centi{1} << 27) - 1;

// Converts a JSON number to centi-points. Returns nullopt when the value has
// more than two decimals or is beyond max_abs_total_centi.
std::optional<centi> to_centi(double value);

// 1100 -> "11", 2625 -> "26.25", -50 -> "-0.5".
std::string format_centi(centi value);

// The JSON number for a centi value (11 or 26.25), exact for two decimals.
double centi_to_double(centi value);

// Applies a weight to a centi value, rounding half away from zero.
centi weighted(centi value, double weight);

}  // namespace lb::engine
