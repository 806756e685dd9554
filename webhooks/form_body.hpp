#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace lb::webhooks {

// Decodes %XX escapes (and '+' as space in form and query values); nullopt for a bad escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// The decoded value of one field of an application/x-www-form-urlencoded body
// (GitHub sends its JSON in "payload"); nullopt when absent or badly escaped.
std::optional<std::string> form_field(std::string_view body, std::string_view name);

}  // namespace lb::webhooks
