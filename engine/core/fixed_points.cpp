#include "fixed_points.hpp"

#include <cmath>

namespace lb::engine {

std::optional<centi> to_centi(double value) {
    if (!std::isfinite(value)) return std::nullopt;
    double scaled = value * 100.0;
    double rounded = std::round(scaled);
    if (std::fabs(scaled - rounded) > 1e-6 * std::max(1.0, std::fabs(scaled))) return std::nullopt;
    if (std::fabs(rounded) > static_cast<double>(max_abs_total_centi)) return std::nullopt;
    return static_cast<centi>(rounded);
}

std::string format_centi(centi value) {
    std::string sign = value < 0 ? "-" : "";
    std::uint64_t magnitude = value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    std::string text = sign + std::to_string(magnitude / 100);
    auto fraction = magnitude % 100;
    if (fraction == 0) return text;
    text += '.';
    text += static_cast<char>('0' + fraction / 10);
    if (fraction % 10 != 0) text += static_cast<char>('0' + fraction % 10);
    return text;
}

double centi_to_double(centi value) { return static_cast<double>(value) / 100.0; }

centi weighted(centi value, double weight) {
    return static_cast<centi>(std::llround(static_cast<double>(value) * weight));
}

}  // namespace lb::engine
