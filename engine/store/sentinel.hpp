#pragma once
// Finding the primary through Redis Sentinel, the way Sentinel's client guidelines describe:
// ask each sentinel in turn for the address of the primary it monitors by name, take the first
// answer, and confirm with ROLE on the node itself once connected (a sentinel may be behind a
// failover, and a demoted primary answers as a replica).
#include <optional>
#include <string>

#include "redis_types.hpp"
#include "redis_url.hpp"

namespace lb::engine {

// Blocking, with a short timeout per sentinel; call it off any thread that serves requests.
// On failure, `why` says what each sentinel answered.
std::optional<redis_address> ask_sentinels_for_primary(const redis_endpoint& endpoint, std::string& why);

// A reply to SENTINEL get-master-addr-by-name: ["host", "port"], or nil for an unknown name.
std::optional<redis_address> read_primary_address(const redis_value& reply);

// A reply to SENTINEL replicas: the first replica that is up and linked to its primary (no
// s_down, o_down or disconnected flag, master-link-status ok), for reads.
std::optional<redis_address> read_healthy_replica(const redis_value& reply);

// A reply to ROLE: true when its first element is "master".
bool role_is_primary(const redis_value& reply);

// A message on the sentinels' +switch-master channel: "<name> <old-ip> <old-port> <new-ip> <new-port>";
// true when it is about `primary_name`.
bool switch_concerns(const std::string& message, const std::string& primary_name);

}  // namespace lb::engine
