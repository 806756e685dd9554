#include "cluster_slots.hpp"

#include <charconv>

namespace lb::engine {
namespace {

bool parse_number(std::string_view text, int& out, int low, int high) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size() && out >= low && out <= high;
}

std::string_view hash_part(std::string_view key) {
    auto open = key.find('{');
    if (open == std::string_view::npos) return key;
    auto close = key.find('}', open + 1);
    if (close == std::string_view::npos || close == open + 1) return key;
    return key.substr(open + 1, close - open - 1);
}

}  // namespace

std::uint16_t crc16_xmodem(std::string_view bytes) {
    std::uint16_t crc = 0;
    for (unsigned char byte : bytes) {
        crc ^= static_cast<std::uint16_t>(byte) << 8;
        for (int bit = 0; bit < 8; ++bit) crc = (crc & 0x8000) ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021) : static_cast<std::uint16_t>(crc << 1);
    }
    return crc;
}

int key_slot(std::string_view key) { return crc16_xmodem(hash_part(key)) % cluster_slot_count; }

std::optional<std::string> routing_key(const redis_command& command) {
    const auto& argv = command.argv;
    if (command.script) {
        int keys = 0;
        if (argv.size() < 2 || !parse_number(argv[0], keys, 1, 1 << 20)) return std::nullopt;
        return argv[1];
    }
    if (argv.empty()) return std::nullopt;
    std::string_view name = argv[0];
    auto is = [&](std::string_view n) {
        if (name.size() != n.size()) return false;
        for (std::size_t i = 0; i < n.size(); ++i)
            if ((name[i] | 0x20) != (n[i] | 0x20)) return false;
        return true;
    };
    if (is("EVAL") || is("EVALSHA")) {
        int keys = 0;
        if (argv.size() < 4 || !parse_number(argv[2], keys, 1, 1 << 20)) return std::nullopt;
        return argv[3];
    }
    if (is("SCAN")) {
        for (std::size_t i = 2; i + 1 < argv.size(); ++i)
            if (argv[i] == "MATCH" || argv[i] == "match") {
                auto tag = hash_part(argv[i + 1]);
                if (tag.size() == argv[i + 1].size()) return std::nullopt;  // no tag: no one node has them all
                return "{" + std::string(tag) + "}";
            }
        return std::nullopt;
    }
    if (is("PING") || is("INFO") || is("WAIT") || is("ROLE") || is("SELECT") || is("SCRIPT") || is("ASKING") ||
        is("CLUSTER") || is("DBSIZE") || is("TIME"))
        return std::nullopt;
    if (argv.size() < 2) return std::nullopt;
    return argv[1];
}

std::optional<slot_map> slot_map::from_cluster_slots(const redis_value& reply, std::string_view asked_host) {
    if (reply.kind != redis_value::type::array || reply.elements.empty()) return std::nullopt;
    slot_map map;
    std::vector<bool> covered(cluster_slot_count, false);
    for (const auto& range : reply.elements) {
        if (range.kind != redis_value::type::array || range.elements.size() < 3) return std::nullopt;
        const auto& first = range.elements[0];
        const auto& last = range.elements[1];
        const auto& primary = range.elements[2];
        if (first.kind != redis_value::type::integer || last.kind != redis_value::type::integer || first.integer < 0 ||
            last.integer >= cluster_slot_count || first.integer > last.integer)
            return std::nullopt;
        if (primary.kind != redis_value::type::array || primary.elements.size() < 2 ||
            primary.elements[0].kind != redis_value::type::string || primary.elements[1].kind != redis_value::type::integer ||
            primary.elements[1].integer < 1 || primary.elements[1].integer > 65535)
            return std::nullopt;
        redis_address node{primary.elements[0].text, static_cast<int>(primary.elements[1].integer)};
        if (node.host.empty()) node.host = std::string(asked_host);
        if (node.host.empty() || node.host == "?") return std::nullopt;  // a node that does not know its address
        auto index = map.index_of(node);
        for (auto slot = first.integer; slot <= last.integer; ++slot) {
            map.owner_[slot] = static_cast<std::uint16_t>(index);
            covered[slot] = true;
        }
    }
    for (bool c : covered)
        if (!c) return std::nullopt;
    return map;
}

std::size_t slot_map::index_of(const redis_address& node) {
    for (std::size_t i = 0; i < nodes_.size(); ++i)
        if (nodes_[i] == node) return i;
    nodes_.push_back(node);
    return nodes_.size() - 1;
}

const redis_address* slot_map::node_for_slot(int slot) const {
    if (slot < 0 || slot >= cluster_slot_count || nodes_.empty()) return nullptr;
    return &nodes_[owner_[slot]];
}

void slot_map::move_slot(int slot, const redis_address& node) {
    if (slot < 0 || slot >= cluster_slot_count) return;
    owner_[slot] = static_cast<std::uint16_t>(index_of(node));
}

std::optional<cluster_redirect> parse_redirect(std::string_view error) {
    cluster_redirect out;
    if (error.starts_with("MOVED ")) error.remove_prefix(6);
    else if (error.starts_with("ASK ")) {
        out.ask = true;
        error.remove_prefix(4);
    } else
        return std::nullopt;
    auto space = error.find(' ');
    if (space == std::string_view::npos || !parse_number(error.substr(0, space), out.slot, 0, cluster_slot_count - 1))
        return std::nullopt;
    auto address = error.substr(space + 1);
    auto colon = address.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || !parse_number(address.substr(colon + 1), out.node.port, 1, 65535))
        return std::nullopt;
    out.node.host = std::string(address.substr(0, colon));
    return out;
}

}  // namespace lb::engine
