#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lb::engine {

// Unix time in whole seconds; scores and ties work at second resolution
// (GitHub and Gitee report merge times in seconds too).
using unix_seconds = std::int64_t;

// Parses "2026-12-01T00:00:00+08:00", "...Z", with optional fractional
// seconds (truncated). Returns nullopt for anything else, including a missing offset.
std::optional<unix_seconds> parse_rfc3339(std::string_view text);

// Formats as UTC: "2026-11-30T16:00:00Z".
std::string format_rfc3339(unix_seconds seconds);


}  // namespace lb::engine
