#pragma once
// What the community's routes share: the 404 of a server without a "community" block, and
// stored times shown as RFC 3339.
#include <string>

#include <nlohmann/json.hpp>

#include "api/route_call.hpp"

namespace lb::gateway {

// Answers 404 and returns true when this server's config keeps no people.
bool community_closed(const route_call& call, respond_fn& respond);
// The stored unix time under key as RFC 3339 ("" when absent).
std::string when(const nlohmann::json& record, const char* key);
// The season the route's {season} names, or null once it has answered 404.
const engine::season* season_param(const route_call& call, respond_fn& respond);
// A stored person's memberships as the API shows them: kind, chapter, since and until (RFC 3339, "" when open).
nlohmann::json memberships_view(const nlohmann::json& stored);
// {"error": code, "field": field, "message": message} with this status.
api_response field_error(int status, std::string_view code, const std::string& field, const std::string& message);

}  // namespace lb::gateway
