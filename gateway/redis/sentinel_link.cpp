#include "redis/sentinel_link.hpp"

#include <iostream>
#include <utility>

#include <boost/asio/post.hpp>
#include <hiredis/async.h>

#include "sentinel.hpp"
#include "sync_redis.hpp"

namespace lb::gateway {

namespace net = boost::asio;
using namespace std::chrono_literals;

sentinel_link::sentinel_link(redis_strand strand, engine::redis_endpoint endpoint)
    : strand_(strand), endpoint_(std::move(endpoint)), ask_timer_(strand_), watch_timer_(strand_) {}

void sentinel_link::stop() {
    stopped_ = true;
    ask_timer_.cancel();
    watch_timer_.cancel();
    if (auto* context = std::exchange(ask_context_, nullptr)) redisAsyncFree(context);
    if (auto* context = std::exchange(watch_context_, nullptr)) redisAsyncFree(context);
}

void sentinel_link::ask(answer done) {
    asking_ = std::move(done);
    ask_index_ = 0;
    why_.clear();
    ask_next();
}

void sentinel_link::ask_next() {
    if (stopped_ || !asking_) return;
    if (ask_index_ >= endpoint_.sentinels.size()) {
        auto done = std::exchange(asking_, nullptr);
        return done(std::nullopt, why_);
    }
    const auto& sentinel = endpoint_.sentinels[ask_index_];
    redisAsyncContext* context = redis_asio_adapter::connect(sentinel.host, sentinel.port, strand_, this);
    if (!context) return ask_failed("cannot connect");
    ask_context_ = context;
    redisAsyncSetConnectCallback(context, &sentinel_link::on_ask_connect);
    asking_replicas_ = endpoint_.prefer_replica;
    if (asking_replicas_)
        redisAsyncCommand(context, &sentinel_link::on_ask_reply, this, "SENTINEL replicas %s", endpoint_.primary_name.c_str());
    redisAsyncCommand(context, &sentinel_link::on_ask_reply, this, "SENTINEL get-master-addr-by-name %s",
                      endpoint_.primary_name.c_str());
    // hiredis 0.14 has no connect timeout of its own: an unreachable sentinel is given up here.
    ask_timer_.expires_after(500ms);
    ask_timer_.async_wait([this, context](boost::system::error_code ec) {
        if (ec || ask_context_ != context) return;
        redisAsyncFree(std::exchange(ask_context_, nullptr));  // its reply callback sees a context no longer ours
        ask_failed("no answer within 500 ms");
    });
}

void sentinel_link::ask_failed(const std::string& reason) {
    const auto& sentinel = endpoint_.sentinels[ask_index_];
    why_ += (why_.empty() ? "" : "; ") + sentinel.host + ":" + std::to_string(sentinel.port) + ": " + reason;
    ++ask_index_;
    net::post(strand_, [this] { ask_next(); });  // not from inside a hiredis callback
}

void sentinel_link::on_ask_connect(const redisAsyncContext* context, int status) {
    auto* self = static_cast<sentinel_link*>(context->data);
    if (status == REDIS_OK || context != self->ask_context_) return;
    self->ask_context_ = nullptr;  // hiredis frees it after this callback
    self->ask_timer_.cancel();
    self->ask_failed(context->errstr);
}

void sentinel_link::on_ask_reply(redisAsyncContext* context, void* raw, void* privdata) {
    auto* self = static_cast<sentinel_link*>(privdata);
    if (!raw || context != self->ask_context_) return;  // a context given up on, or freed
    auto reply = engine::to_redis_value(static_cast<redisReply*>(raw));
    if (self->asking_replicas_) {
        self->asking_replicas_ = false;
        if (auto replica = engine::read_healthy_replica(reply)) {
            self->ask_context_ = nullptr;
            self->ask_timer_.cancel();
            redisAsyncDisconnect(context);
            auto done = std::exchange(self->asking_, nullptr);
            return net::post(self->strand_, [done, replica] { done(replica, ""); });
        }
        return;  // no healthy replica: the primary's address, asked right after, answers next
    }
    self->ask_context_ = nullptr;
    self->ask_timer_.cancel();
    redisAsyncDisconnect(context);  // deferred by hiredis until this callback returns
    if (auto primary = engine::read_primary_address(reply)) {
        auto done = std::exchange(self->asking_, nullptr);
        return net::post(self->strand_, [done, primary] { done(primary, ""); });
    }
    self->ask_failed(reply.is_error() ? reply.text : "does not monitor \"" + self->endpoint_.primary_name + "\"");
}

void sentinel_link::watch(std::function<void()> on_switch) {
    on_switch_ = std::move(on_switch);
    subscribe();
}

void sentinel_link::subscribe() {
    if (stopped_) return;
    const auto& sentinel = endpoint_.sentinels[watch_index_ % endpoint_.sentinels.size()];
    redisAsyncContext* context = redis_asio_adapter::connect(sentinel.host, sentinel.port, strand_, this);
    if (!context) return watch_lost();
    watch_context_ = context;
    redisAsyncSetConnectCallback(context, &sentinel_link::on_watch_connect);
    redisAsyncSetDisconnectCallback(context, &sentinel_link::on_watch_disconnect);
    redisAsyncCommand(context, &sentinel_link::on_watch_message, this, "SUBSCRIBE +switch-master");
}

void sentinel_link::on_watch_connect(const redisAsyncContext* context, int status) {
    auto* self = static_cast<sentinel_link*>(context->data);
    if (status == REDIS_OK || context != self->watch_context_) return;
    self->watch_context_ = nullptr;
    self->watch_lost();
}

void sentinel_link::on_watch_disconnect(const redisAsyncContext* context, int) {
    auto* self = static_cast<sentinel_link*>(context->data);
    if (context != self->watch_context_) return;
    self->watch_context_ = nullptr;
    self->watch_lost();
}

void sentinel_link::watch_lost() {
    if (stopped_) return;
    ++watch_index_;  // the next sentinel, a second from now
    watch_timer_.expires_after(1s);
    watch_timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec && !watch_context_) subscribe();
    });
}

void sentinel_link::on_watch_message(redisAsyncContext* context, void* raw, void* privdata) {
    auto* self = static_cast<sentinel_link*>(privdata);
    if (!raw || context != self->watch_context_) return;
    auto reply = engine::to_redis_value(static_cast<redisReply*>(raw));
    // ["message", "+switch-master", "<name> <old-ip> <old-port> <new-ip> <new-port>"]
    if (reply.elements.size() == 3 && reply.elements[0].text == "message" &&
        engine::switch_concerns(reply.elements[2].text, self->endpoint_.primary_name) && self->on_switch_) {
        std::cerr << "redis: the sentinels announce a new primary for \"" << self->endpoint_.primary_name << "\"\n";
        net::post(self->strand_, self->on_switch_);
    }
}

}  // namespace lb::gateway
