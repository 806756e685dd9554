#pragma once
// Pure normalizers from the hosts' JSON (read with simdjson On-Demand) to one
// pull-request event. The body must have SIMDJSON_PADDING spare capacity.
#include <string>
#include <string_view>

#include "pull_request_event.hpp"

namespace lb::webhooks {

// event: X-GitHub-Event. json: the raw JSON body (or the decoded "payload" form field).
normalized_delivery normalize_github(std::string_view event, std::string& json);
// event: X-Gitee-Event ("Merge Request Hook", ...).
normalized_delivery normalize_gitee(std::string_view event, std::string& json);

}  // namespace lb::webhooks
