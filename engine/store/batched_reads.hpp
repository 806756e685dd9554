#pragma once
// Large reads in steps a command timeout allows: a pipeline of many commands sent as several
// batches one after another. A read of a hundred thousand people would otherwise be one reply
// the client waits on past redis.command_timeout_ms.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "redis_types.hpp"

namespace lb::engine {

// Every command's reply, in order, as if sent in one pipeline; at most per_batch a batch.
void execute_in_batches(redis_executor& redis, std::vector<redis_command> commands, std::size_t per_batch,
                        redis_batch_handler done);

// The first error among a batch's replies (null when there is none).
const redis_value* first_error(const std::vector<redis_value>& replies);

inline constexpr std::size_t fields_per_command = 10000;  // one HMGET's reply stays a few hundred KB
inline constexpr std::size_t commands_per_batch = 20000;  // a batch's replies come well inside a command timeout

// HMGET key f1 f2 ... (or ZMSCORE key m1 m2 ...) in commands of fields_per_command fields (none
// when there are no fields).
std::vector<redis_command> field_chunks(const char* command, const std::string& key, const std::vector<std::string>& fields);
std::size_t chunks_for(std::size_t fields);
// The replies of field_chunks, from replies[first] on, as one list of count values.
std::vector<const redis_value*> chunk_values(const std::vector<redis_value>& replies, std::size_t first, std::size_t count);

}  // namespace lb::engine
