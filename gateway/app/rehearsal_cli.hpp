#pragma once
// The commands around a contest's history: reconcile with the hosts, record the award
// log, replay it into another contest at a speed, and reset a rehearsal.
#include <map>
#include <string>

#include "app/cli_common.hpp"

namespace lb::gateway {

extern const std::map<std::string, std::string> history_command_help;

int reconcile_command(const parsed_args& a);
int record_command(const parsed_args& a);
int replay_command(const parsed_args& a);
int reset_command(const parsed_args& a);

}  // namespace lb::gateway
