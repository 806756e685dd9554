#pragma once
// A recording of a contest: its award log as NDJSON, one award per line with the time it
// was applied, after a header line. Pure: written by `record`, read back by `replay`.
//   {"recording":1,"contest":"geekweek","starts_at":"2026-11-16T00:00:00+08:00","awards":300}
//   {"t":1763251200000,"award":{...the ledger record...}}
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "award.hpp"

namespace lb::engine {

struct recorded_award {
    long long t_ms = 0;  // when the engine applied it (Unix milliseconds)
    award value;
};

struct recording {
    std::string contest;                   // where it was recorded
    std::optional<unix_seconds> starts_at;  // that contest's start, when it was known
    std::vector<recorded_award> awards;     // in the order they were applied
};

std::string recording_header(std::string_view contest, std::optional<unix_seconds> starts_at, std::size_t awards);
std::string recording_line(long long t_ms, std::string_view award_record);

// Every problem is "line N: what" and nothing is returned with it (a replay applies all or none).
std::variant<recording, std::string> read_recording(std::string_view text);

// The same award moved by `seconds` (a replay into a contest that starts at another time).
award shift_award(award a, long long seconds);

}  // namespace lb::engine
