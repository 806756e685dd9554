#pragma once
// A window's merges, read a UTC day at a time as one string each (engine/store/lua/read_merge_day.lua
// keeps the string beside the merges set and builds it again when the day has changed).
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "contest.hpp"
#include "redis_types.hpp"

namespace lb::engine {

namespace keys {
std::string merge_day(long long day);  // under "{community}", beside the merges set
}  // namespace keys

// Days since the epoch, UTC; a time before it falls on a negative day.
long long day_of(unix_seconds at);

using merge_visitor = std::function<void(unix_seconds at, std::string_view subject, std::string_view login)>;

// Every merge of one day's string to visit, in its order, those outside [from, to) left out;
// false when the string is not the script's shape (its lines up to there are visited).
bool visit_merge_day(std::string_view text, unix_seconds from, unix_seconds to, const merge_visitor& visit);

// Every merge recorded in [from, to), in time order, to visit; then done("") or done(the error).
// The views stay valid while `kept` does: each day's string is moved there before it is visited.
void read_merges_between(redis_executor& redis, unix_seconds from, unix_seconds to, std::shared_ptr<std::deque<std::string>> kept,
                         merge_visitor visit, std::function<void(std::string error)> done);

}  // namespace lb::engine
