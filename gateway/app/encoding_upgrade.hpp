#pragma once
// At start-up, off the serving threads: each contest's boards brought to this version's tie
// encoding (engine/store/tie_encoding.hpp), retried while Redis is out of reach or another
// process is rebuilding the same contest. Awards to a contest wait (spooled) until it is done.
#include "contest.hpp"
#include "redis_url.hpp"

namespace lb::gateway {

void upgrade_tie_encoding_in_background(const engine::config& config, engine::redis_endpoint endpoint);

}  // namespace lb::gateway
