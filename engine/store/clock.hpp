#pragma once
// The wall clock, for the store and the server; the core takes "now" as an argument.
#include <cstdint>

#include "rfc3339.hpp"

namespace lb::engine {

unix_seconds now_seconds();
// Milliseconds since the epoch: the version of an award a judge or an organizer gives now.
std::int64_t now_millis();
// The test clock's offset (LB_TEST_CLOCK_OFFSET_SECONDS), 0 unless a test set it.
std::int64_t clock_offset_seconds();

}  // namespace lb::engine
