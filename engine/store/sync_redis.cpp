#include "sync_redis.hpp"

#include <stdexcept>
#include <utility>

#include <hiredis/hiredis.h>

#include "lua_script.hpp"
#include "sentinel.hpp"
#include "sync_cluster.hpp"

namespace lb::engine {

redis_value to_redis_value(const redisReply* reply) {
    redis_value value;
    if (!reply) return redis_value::error("connection lost");
    switch (reply->type) {
        case REDIS_REPLY_INTEGER: value.kind = redis_value::type::integer; value.integer = reply->integer; break;
        case REDIS_REPLY_STRING: value.kind = redis_value::type::string; value.text.assign(reply->str, reply->len); break;
        case REDIS_REPLY_STATUS: value.kind = redis_value::type::status; value.text.assign(reply->str, reply->len); break;
        case REDIS_REPLY_ERROR: value.kind = redis_value::type::error; value.text.assign(reply->str, reply->len); break;
        case REDIS_REPLY_ARRAY:
            value.kind = redis_value::type::array;
            value.elements.reserve(reply->elements);
            for (std::size_t i = 0; i < reply->elements; ++i) value.elements.push_back(to_redis_value(reply->element[i]));
            break;
        default: break;
    }
    return value;
}

sync_redis::sync_redis(const redis_endpoint& endpoint) {
    if (endpoint.in_cluster()) {
        cluster_ = std::make_unique<sync_cluster>(endpoint.cluster_nodes);
        return;
    }
    redis_address address{endpoint.host, endpoint.port};
    if (endpoint.through_sentinels()) {
        std::string why;
        auto primary = ask_sentinels_for_primary(endpoint, why);
        if (!primary) throw std::runtime_error("no sentinel named the primary \"" + endpoint.primary_name + "\": " + why);
        address = *primary;
    }
    context_ = open_blocking_connection(address);
    if (endpoint.through_sentinels() && !role_is_primary(run({"ROLE"}))) {
        redisFree(std::exchange(context_, nullptr));
        throw std::runtime_error("the sentinels named " + address.host + ":" + std::to_string(address.port) +
                                 " as the primary, but it is not (a failover is under way); try again");
    }
    auto reply = run({"SELECT", std::to_string(endpoint.database)});
    if (reply.is_error()) {
        redisFree(std::exchange(context_, nullptr));
        throw std::runtime_error("cannot select Redis database: " + reply.text);
    }
}

sync_redis::~sync_redis() {
    if (context_) redisFree(context_);
}

std::vector<redis_value> sync_redis::exchange(const std::vector<std::vector<std::string>>& commands) {
    return cluster_ ? cluster_->exchange(commands) : pipeline_on(context_, commands);
}

redis_value sync_redis::run(std::vector<std::string> argv) { return exchange({std::move(argv)}).at(0); }

void sync_redis::execute(std::vector<redis_command> commands, redis_batch_handler handler) {
    std::vector<std::vector<std::string>> wire;
    for (auto& command : commands) {
        if (!command.script) {
            wire.push_back(command.argv);
            continue;
        }
        std::vector<std::string> argv{"EVALSHA", command.script->sha()};
        argv.insert(argv.end(), command.argv.begin(), command.argv.end());
        wire.push_back(std::move(argv));
    }
    auto replies = exchange(wire);
    for (std::size_t i = 0; i < commands.size(); ++i) {
        if (!commands[i].script || !replies[i].is_error() || !replies[i].text.starts_with("NOSCRIPT")) continue;
        std::vector<std::string> argv{"EVAL", commands[i].script->source()};
        argv.insert(argv.end(), commands[i].argv.begin(), commands[i].argv.end());
        replies[i] = run(std::move(argv));
    }
    handler(std::move(replies));
}

}  // namespace lb::engine
