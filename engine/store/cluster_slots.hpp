#pragma once
// Redis Cluster's routing, as its specification defines it: a key's slot is CRC16 (XMODEM) of
// the key, or of its hash tag (the text between the first '{' and the next '}', when not empty),
// modulo 16384; CLUSTER SLOTS says which node serves each slot; MOVED and ASK errors say where a
// slot went. Pure: the blocking and the Asio clients both route with it.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis_types.hpp"
#include "redis_url.hpp"

namespace lb::engine {

inline constexpr int cluster_slot_count = 16384;

std::uint16_t crc16_xmodem(std::string_view bytes);
int key_slot(std::string_view key);

// The key that decides where a command goes: the first key of a script (argv is numkeys,
// keys..., args) or of a command (its first argument); for SCAN, the hash tag of its MATCH
// pattern (all of a contest's keys share one, so one node holds them all). Empty when the
// command names no key (PING, INFO, WAIT): any node will do.
std::optional<std::string> routing_key(const redis_command& command);

// Which node serves each slot, by index into nodes.
class slot_map {
public:
    // A reply to CLUSTER SLOTS: [[start, end, [host, port, id...], replicas...]...]. Nullopt when
    // it is not one, or leaves a slot without a node (the cluster is not ready). A node listed
    // with an empty host is the one that answered (`asked_host`), as the command's reference says.
    static std::optional<slot_map> from_cluster_slots(const redis_value& reply, std::string_view asked_host);

    const redis_address* node_for_slot(int slot) const;
    // After a MOVED: that slot is now served by `node` (the next full read confirms it).
    void move_slot(int slot, const redis_address& node);
    const std::vector<redis_address>& nodes() const { return nodes_; }
    bool operator==(const slot_map&) const = default;

private:
    std::size_t index_of(const redis_address& node);
    std::vector<redis_address> nodes_;
    std::array<std::uint16_t, cluster_slot_count> owner_{};
};

// "MOVED 3999 127.0.0.1:6381" or "ASK 3999 127.0.0.1:6381" (the error text, without the '-').
struct cluster_redirect {
    bool ask = false;  // ASK: this one command, after ASKING; MOVED: the slot moved for good
    int slot = 0;
    redis_address node;
};
std::optional<cluster_redirect> parse_redirect(std::string_view error);

}  // namespace lb::engine
