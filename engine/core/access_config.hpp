#pragma once
// Who may reach the server and how often: "server" (connections, trusted proxies, limits per
// client) and the community's sign-in with the code hosts. Read as part of load_config.
#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "json_reader.hpp"

namespace lb::engine {

// "server": {"max_connections", "trusted_proxies": ["127.0.0.1"], "limits": {"public_writes":
// {"per_minute", "burst"}, "failed_credentials": {...}}}
void load_server(json_reader& r, const nlohmann::json& document, config& out);

// "community": {"id_prefix", "id_width", "max_pending", "max_pending_per_client", "levels",
// "approval", "sign_in"}: its presence opens sign-ups (engine/core/community_config.cpp).
void load_community(json_reader& r, const nlohmann::json& document, config& out);

// Inside "community": "approval": "always" | "unless_proven", and "sign_in": {"<host>":
// {"client_id", "client_secret_env", "authorize_url"?, "token_url"?, "api_url"?}}.
void load_sign_in(json_reader& r, const nlohmann::json& community, community_settings& out);

}  // namespace lb::engine
