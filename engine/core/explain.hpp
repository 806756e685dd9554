#pragma once
// Why a pull request counts for what it counts, check by check, from the same rules the
// scoring uses (scoring.hpp): repository, merged, window, labels after normalising,
// excluded and required labels, label points, cap, registration. Pure.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "scoring.hpp"

namespace lb::engine {

// {"points", "reason", "checks": [{"check", "passed", "detail"}...], "labels_normalized", "registered_as"}
nlohmann::json explain_pull_request(const contest& c, const pull_request_facts& pr);

// A PR's page on a host of the table ("https://github.com/owner/repo/pull/12",
// "https://gitlab.com/group/sub/project/-/merge_requests/3") as the ledger's subject
// "github:owner/repo#12"; nullopt for anything else.
std::optional<std::string> subject_from_pr_url(std::string_view url);

}  // namespace lb::engine
