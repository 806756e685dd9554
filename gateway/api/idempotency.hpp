#pragma once
// Admin writes done at most once per Idempotency-Key: the first answer is kept for a day
// and given to every retry with the same key, so a retry after a timeout applies nothing again.
#include <functional>
#include <memory>
#include <string>

#include "api/route_call.hpp"

namespace lb::gateway {

// Keys are 1 to 200 letters, digits, '_', '.', ':' or '-'.
bool valid_idempotency_key(const std::string& key);

// Runs write(respond) unless the key was used already: then answers the stored answer
// (the same route), 409 while the first is still running, 422 when the key was used for
// another route. A 5xx answer is not kept, so a retry runs the write again.
void once_per_key(std::shared_ptr<route_call> call, const std::string& key, respond_fn respond,
                  std::function<void(std::shared_ptr<route_call>, respond_fn)> write);

}  // namespace lb::gateway
