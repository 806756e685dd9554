#pragma once
// The async client's side of Redis Sentinel, on the client's strand, never blocking it:
// asking the sentinels in turn which node is the primary, and a subscription to
// +switch-master on one of them so a failover is followed as soon as it is announced (not
// only when the old primary's connection breaks or answers READONLY).
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "redis/redis_asio_adapter.hpp"
#include "redis_url.hpp"

struct redisAsyncContext;

namespace lb::gateway {

class sentinel_link {
public:
    using answer = std::function<void(std::optional<engine::redis_address> primary, std::string why)>;

    sentinel_link(redis_strand strand, engine::redis_endpoint endpoint);
    sentinel_link(const sentinel_link&) = delete;
    sentinel_link& operator=(const sentinel_link&) = delete;

    // One question at a time; `done` runs on the strand.
    void ask(answer done);
    // on_switch runs on the strand whenever a sentinel announces a new primary of ours.
    void watch(std::function<void()> on_switch);
    void stop();

private:
    static void on_ask_connect(const redisAsyncContext* context, int status);
    static void on_ask_reply(redisAsyncContext* context, void* reply, void* privdata);
    static void on_watch_connect(const redisAsyncContext* context, int status);
    static void on_watch_disconnect(const redisAsyncContext* context, int status);
    static void on_watch_message(redisAsyncContext* context, void* reply, void* privdata);

    void ask_next();
    void ask_failed(const std::string& reason);
    void subscribe();
    void watch_lost();

    redis_strand strand_;
    engine::redis_endpoint endpoint_;
    bool stopped_ = false;

    answer asking_;
    std::size_t ask_index_ = 0;
    std::string why_;
    bool asking_replicas_ = false;  // this sentinel's answer to SENTINEL replicas is awaited
    redisAsyncContext* ask_context_ = nullptr;
    boost::asio::steady_timer ask_timer_;

    std::function<void()> on_switch_;
    std::size_t watch_index_ = 0;
    redisAsyncContext* watch_context_ = nullptr;
    boost::asio::steady_timer watch_timer_;
};

}  // namespace lb::gateway
