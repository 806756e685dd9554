#pragma once
// JSON text written straight into a string, for the hot paths that would
// otherwise build an nlohmann tree only to dump it: the award record of every
// webhook and the rows of a standings export.
#include <string>
#include <string_view>

namespace lb::engine {

// A JSON string literal, escaped as nlohmann's dump() escapes it (\" \\ \b \f \n
// \r \t, other control characters as \u00XX); UTF-8 passes through as is.
void append_json_string(std::string& out, std::string_view text);

}  // namespace lb::engine
