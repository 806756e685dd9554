#include "sentinel.hpp"

#include <charconv>

#include <hiredis/hiredis.h>

#include "sync_redis.hpp"

namespace lb::engine {

std::optional<redis_address> read_primary_address(const redis_value& reply) {
    if (reply.kind != redis_value::type::array || reply.elements.size() != 2) return std::nullopt;
    const auto& host = reply.elements[0].text;
    const auto& port_text = reply.elements[1].text;
    redis_address address;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), address.port);
    if (host.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() || address.port < 1 ||
        address.port > 65535)
        return std::nullopt;
    address.host = host;
    return address;
}

std::optional<redis_address> read_healthy_replica(const redis_value& reply) {
    if (reply.kind != redis_value::type::array) return std::nullopt;
    for (const auto& replica : reply.elements) {
        std::string ip, port, flags, link;
        for (std::size_t i = 0; i + 1 < replica.elements.size(); i += 2) {
            const auto& field = replica.elements[i].text;
            const auto& value = replica.elements[i + 1].text;
            if (field == "ip") ip = value;
            else if (field == "port") port = value;
            else if (field == "flags") flags = value;
            else if (field == "master-link-status") link = value;
        }
        bool down = flags.find("s_down") != std::string::npos || flags.find("o_down") != std::string::npos ||
                    flags.find("disconnected") != std::string::npos;
        if (down || link != "ok") continue;
        redis_value pair{redis_value::type::array, 0, "", {{redis_value::type::string, 0, ip, {}}, {redis_value::type::string, 0, port, {}}}};
        if (auto address = read_primary_address(pair)) return address;
    }
    return std::nullopt;
}

bool role_is_primary(const redis_value& reply) {
    return reply.kind == redis_value::type::array && !reply.elements.empty() && reply.elements[0].text == "master";
}

bool switch_concerns(const std::string& message, const std::string& primary_name) {
    return message.size() > primary_name.size() && message.compare(0, primary_name.size(), primary_name) == 0 &&
           message[primary_name.size()] == ' ';
}

std::optional<redis_address> ask_sentinels_for_primary(const redis_endpoint& endpoint, std::string& why) {
    why.clear();
    for (const auto& sentinel : endpoint.sentinels) {
        std::string where = sentinel.host + ":" + std::to_string(sentinel.port);
        timeval timeout{0, 300'000};
        redisContext* context = redisConnectWithTimeout(sentinel.host.c_str(), sentinel.port, timeout);
        if (!context || context->err) {
            why += (why.empty() ? "" : "; ") + where + ": " + (context ? context->errstr : "out of memory");
            if (context) redisFree(context);
            continue;
        }
        redisSetTimeout(context, timeout);
        auto* raw = static_cast<redisReply*>(
            redisCommand(context, "SENTINEL get-master-addr-by-name %s", endpoint.primary_name.c_str()));
        redis_value reply = to_redis_value(raw);
        if (raw) freeReplyObject(raw);
        redisFree(context);
        if (auto address = read_primary_address(reply)) return address;
        why += (why.empty() ? "" : "; ") + where + ": " +
               (reply.is_error() ? reply.text : "does not monitor \"" + endpoint.primary_name + "\"");
    }
    return std::nullopt;
}

}  // namespace lb::engine
