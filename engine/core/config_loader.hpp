#pragma once
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "contest.hpp"

namespace lb::engine {

struct config_error {
    std::string path;  // "contests[0].rules.pull_requests.label_points.bug"
    std::string reason;
    std::string to_string() const { return path + ": " + reason; }
};

struct config_result {
    config value;
    std::vector<config_error> errors;  // empty when value is usable
};

// Validates the whole document and reports every problem, not just the first.
// CSV files named in the config (teams_file, participants_file) are read relative to base_dir.
config_result load_config(const nlohmann::json& document, const std::string& base_dir = ".");
// Parses text read from `path` (CSV files it names are relative to the path's folder).
config_result load_config_text(std::string_view text, const std::string& path);
// Reads and parses a file; unreadable files and JSON syntax errors become errors too.
config_result load_config_file(const std::string& path);

// Longest contest window accepted (a year-long points contest); tie_order.hpp encodes time in 2^26 s.
inline constexpr unix_seconds max_contest_span_seconds = 400 * 86400;

}  // namespace lb::engine
