#pragma once
// Reads a stored award record (award::to_json) without building a JSON tree:
// recompute reads every record of a contest, a million of them in a big one.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "award.hpp"
#include "scoring.hpp"

namespace lb::engine {

struct ledger_entry {
    std::string kind;
    std::string component;
    std::string participant;
    std::string pending_login;
    centi points = 0;
    unix_seconds at = 0;
    std::vector<contribution> contributions;
    std::optional<pull_request_facts> facts;  // for kind "pull_request"
};

// nullopt when the text is not a record of that shape.
std::optional<ledger_entry> read_ledger_entry(std::string_view record);

}  // namespace lb::engine
