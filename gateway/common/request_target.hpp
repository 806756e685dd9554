#pragma once
// Splitting and decoding a request target: pure, unit-tested.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lb::gateway {

struct request_target {
    std::vector<std::string> segments;  // "/api/contests/x" -> {"api", "contests", "x"}, decoded
    std::map<std::string, std::string> query;
};

// nullopt for a target that is not an absolute path, has a bad %-escape, decodes to
// text that is not UTF-8 or holds control characters, or names a query key twice;
// *error (when given) then says which part: "path: ...", "query.board: ...".
std::optional<request_target> parse_target(std::string_view target, std::string* error = nullptr);

// Parses a non-negative integer query value within [low, high].
std::optional<long long> parse_bounded(const std::string& text, long long low, long long high);
// "a,b,c": member ids (letters, digits, '_', '.', '-'; at most 64 each), duplicates dropped, at
// most max_ids; nullopt for an empty list, an empty or bad id, or too many.
std::optional<std::vector<std::string>> parse_id_list(std::string_view text, std::size_t max_ids);

}  // namespace lb::gateway
