#include "sync_cluster.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include <hiredis/hiredis.h>

#include "sync_redis.hpp"

namespace lb::engine {
namespace {

std::string name_of(const redis_address& node) { return node.host + ":" + std::to_string(node.port); }

// Beyond this many redirects (and waits after TRYAGAIN) for one command the slot is moving longer
// than a command should wait: the error is the answer.
constexpr int redirect_limit = 8;

}  // namespace

redisContext* open_blocking_connection(const redis_address& address) {
    timeval timeout{5, 0};
    redisContext* context = redisConnectWithTimeout(address.host.c_str(), address.port, timeout);
    if (!context || context->err) {
        std::string reason = context ? context->errstr : "out of memory";
        if (context) redisFree(context);
        throw std::runtime_error("cannot connect to Redis at " + name_of(address) + ": " + reason);
    }
    redisSetTimeout(context, timeout);
    return context;
}

std::vector<redis_value> pipeline_on(redisContext* context, const std::vector<std::vector<std::string>>& commands) {
    for (const auto& argv : commands) {
        std::vector<const char*> pointers;
        std::vector<size_t> lengths;
        for (const auto& arg : argv) {
            pointers.push_back(arg.data());
            lengths.push_back(arg.size());
        }
        redisAppendCommandArgv(context, static_cast<int>(argv.size()), pointers.data(), lengths.data());
    }
    std::vector<redis_value> replies;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        void* raw = nullptr;
        if (redisGetReply(context, &raw) != REDIS_OK) {
            std::string reason = context->errstr;
            while (replies.size() < commands.size()) replies.push_back(redis_value::error("connection lost: " + reason));
            return replies;
        }
        replies.push_back(to_redis_value(static_cast<redisReply*>(raw)));
        freeReplyObject(raw);
    }
    return replies;
}

sync_cluster::sync_cluster(std::vector<redis_address> seeds) : seeds_(std::move(seeds)) {
    std::string why;
    if (!read_slot_map(why)) throw std::runtime_error("no node of the cluster gave a complete slot map: " + why);
}

sync_cluster::~sync_cluster() {
    for (auto& [name, context] : open_) redisFree(context);
}

redisContext* sync_cluster::connection_to(const redis_address& node, std::string& why) {
    auto found = open_.find(name_of(node));
    if (found != open_.end()) return found->second;
    try {
        return open_[name_of(node)] = open_blocking_connection(node);
    } catch (const std::exception& error) {
        why = error.what();
        return nullptr;
    }
}

void sync_cluster::forget(const redis_address& node) {
    auto found = open_.find(name_of(node));
    if (found == open_.end()) return;
    redisFree(found->second);
    open_.erase(found);
}

bool sync_cluster::read_slot_map(std::string& why) {
    // The nodes of the last map first (the seeds may be gone), then the seeds.
    auto candidates = map_.nodes();
    candidates.insert(candidates.end(), seeds_.begin(), seeds_.end());
    for (const auto& node : candidates) {
        std::string reason;
        auto* context = connection_to(node, reason);
        if (!context) {
            why += name_of(node) + ": " + reason + "; ";
            continue;
        }
        auto reply = pipeline_on(context, {{"CLUSTER", "SLOTS"}}).at(0);
        if (reply.is_error() && reply.text.starts_with("connection lost")) forget(node);
        if (auto map = slot_map::from_cluster_slots(reply, node.host)) {
            map_ = std::move(*map);
            return true;
        }
        why += name_of(node) + ": " + (reply.is_error() ? reply.text : "slots not all served") + "; ";
    }
    return false;
}

redis_address sync_cluster::node_for(const std::vector<std::string>& command) const {
    auto key = routing_key({command, nullptr});
    const redis_address* node = key ? map_.node_for_slot(key_slot(*key)) : nullptr;
    return node ? *node : map_.nodes().front();
}

std::vector<redis_value> sync_cluster::exchange_on(const redis_address& node, const std::vector<std::vector<std::string>>& commands) {
    std::string why;
    auto* context = connection_to(node, why);
    if (!context) return std::vector<redis_value>(commands.size(), redis_value::error("connection lost: " + why));
    auto replies = pipeline_on(context, commands);
    for (const auto& reply : replies)
        if (reply.is_error() && reply.text.starts_with("connection lost")) {
            forget(node);
            break;
        }
    return replies;
}

std::vector<redis_value> sync_cluster::exchange(const std::vector<std::vector<std::string>>& commands) {
    // One pipeline per node, each in the order the commands came.
    std::map<std::string, std::pair<redis_address, std::vector<std::size_t>>> by_node;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        auto node = node_for(commands[i]);
        auto& group = by_node[name_of(node)];
        group.first = node;
        group.second.push_back(i);
    }
    std::vector<redis_value> replies(commands.size());
    for (auto& [name, group] : by_node) {
        std::vector<std::vector<std::string>> part;
        for (auto i : group.second) part.push_back(commands[i]);
        auto answers = exchange_on(group.first, part);
        for (std::size_t k = 0; k < group.second.size(); ++k) replies[group.second[k]] = std::move(answers[k]);
    }
    for (std::size_t i = 0; i < commands.size(); ++i)
        if (replies[i].is_error()) replies[i] = follow_redirects(commands[i], std::move(replies[i]));
    return replies;
}

redis_value sync_cluster::follow_redirects(const std::vector<std::string>& command, redis_value reply) {
    for (int attempt = 0; attempt < redirect_limit && reply.is_error(); ++attempt) {
        if (reply.text.starts_with("TRYAGAIN")) {
            std::this_thread::sleep_for(std::chrono::milliseconds(25 * (attempt + 1)));
            reply = exchange_on(node_for(command), {command}).at(0);
            continue;
        }
        if (reply.text.starts_with("connection lost") || reply.text.starts_with("CLUSTERDOWN")) {
            std::string why;
            read_slot_map(why);  // a node gone: its replica may have taken its slots
            return reply;        // the caller decides whether to try again
        }
        auto redirect = parse_redirect(reply.text);
        if (!redirect) return reply;
        if (redirect->ask) {
            reply = exchange_on(redirect->node, {{"ASKING"}, command}).at(1);
            continue;
        }
        map_.move_slot(redirect->slot, redirect->node);
        std::string why;
        read_slot_map(why);  // one slot moved: others likely did too
        reply = exchange_on(redirect->node, {command}).at(0);
    }
    return reply;
}

}  // namespace lb::engine
