#pragma once
// The one way JSON text from outside (request bodies, WebSocket messages, spool and
// import lines, records read back from Redis) becomes a tree. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include <nlohmann/json.hpp>

namespace lb::engine {

// Nesting allowed in any document we accept; ours need at most five levels.
inline constexpr int max_json_depth = 32;

struct parsed_json {
    nlohmann::json value;  // discarded when error is set
    std::string error;     // empty on success: "nested deeper than 32 levels", "duplicate key \"points\"", ...
    bool ok() const { return error.empty(); }
};

// Checks the nesting depth before the parser sees the text (so nothing recursive ever
// walks a deep document), then parses, refusing invalid UTF-8 (the parser's own check),
// numbers beyond a double's range and duplicate keys (which would otherwise silently
// keep the last value).
parsed_json parse_untrusted_json(std::string_view text, int max_depth = max_json_depth);

// Typed reads of one member of a JSON value that never throw, whatever the value holds:
// nullopt (or null) when it is not an object, the member is absent, or of another type.
// Integers must be exact (a float such as 1.5 is not one); numbers are finite.
std::optional<std::string> string_at(const nlohmann::json& object, std::string_view key);
std::optional<std::int64_t> integer_at(const nlohmann::json& object, std::string_view key);
std::optional<double> number_at(const nlohmann::json& object, std::string_view key);
std::optional<bool> bool_at(const nlohmann::json& object, std::string_view key);
const nlohmann::json* object_at(const nlohmann::json& object, std::string_view key);
const nlohmann::json* array_at(const nlohmann::json& object, std::string_view key);
// Every element a string: the labels of a PR, the teams of a participant.
std::optional<std::vector<std::string>> strings_at(const nlohmann::json& object, std::string_view key);

// Serializes what we answer; a string that is not valid UTF-8 (it should never get here)
// is replaced rather than thrown about.
std::string to_text(const nlohmann::json& value);

}  // namespace lb::engine
