#pragma once
// The wall clock, for the store and the server; the core takes "now" as an argument.
#include "rfc3339.hpp"

namespace lb::engine {

unix_seconds now_seconds();

}  // namespace lb::engine
