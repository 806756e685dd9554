#pragma once
#include <string>
#include <vector>

namespace lb::gateway {

// Runs one subcommand; returns the exit status (0 ok, 1 runtime failure,
// 2 bad configuration or input, 64 usage error).
int run_cli(const std::vector<std::string>& args);

}  // namespace lb::gateway
