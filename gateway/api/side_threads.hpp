#pragma once
// Work that blocks (a recompute's reads of the whole ledger, a sign-in's calls to a code host)
// runs on a thread of its own; serve() waits for them before it tears the server down, so an
// answer never lands on a session whose I/O context is gone.
#include <chrono>
#include <functional>

namespace lb::gateway {

void run_on_side_thread(std::function<void()> work);
// Blocks until no side thread runs (or `longest` passed).
void wait_for_side_threads(std::chrono::seconds longest);

}  // namespace lb::gateway
