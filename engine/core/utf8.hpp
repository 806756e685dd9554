#pragma once
// Strict UTF-8 checks for text from outside (paths, queries, headers, CSV cells,
// spool lines): a string that reaches a JSON answer must be valid UTF-8, or the
// serializer refuses it. Pure.
#include <cstddef>
#include <optional>
#include <string_view>

namespace lb::engine {

// The offset of the first byte that does not start a well-formed UTF-8 sequence
// (overlong forms, surrogates and code points above U+10FFFF are not well formed),
// or nullopt when the whole text is valid.
std::optional<std::size_t> invalid_utf8_at(std::string_view text);

inline bool valid_utf8(std::string_view text) { return !invalid_utf8_at(text).has_value(); }

// True when the text holds a C0 control character or DEL (tab included): such bytes have
// no place in an id, a login, a header value or a query value.
bool has_control_characters(std::string_view text);

// An http(s) URL of at most 500 bytes, valid UTF-8, no spaces or control characters: the links
// participants hand in (homework, reproduction evidence, vote entries).
bool is_web_link(std::string_view text);

}  // namespace lb::engine
