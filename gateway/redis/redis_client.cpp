#include "redis/redis_client.hpp"

#include <algorithm>
#include <iostream>
#include <utility>

#include <boost/asio/post.hpp>
#include <hiredis/async.h>

#include "lua_script.hpp"
#include "sync_redis.hpp"

namespace lb::gateway {

namespace net = boost::asio;
using engine::redis_value;

struct redis_client::batch {
    std::vector<redis_value> replies;
    std::size_t remaining = 0;
    engine::redis_batch_handler handler;
};

struct redis_client::slot {
    std::shared_ptr<redis_client> client;
    std::shared_ptr<batch> owner;
    std::size_t index = 0;
    engine::redis_command command;
    bool retried = false;
};

redis_client::redis_client(net::io_context& io, engine::redis_endpoint endpoint)
    : io_(io), strand_(net::make_strand(io)), endpoint_(std::move(endpoint)), reconnect_timer_(strand_),
      watchdog_(strand_) {}

redis_client::~redis_client() = default;

void redis_client::start() {
    net::dispatch(strand_, [self = shared_from_this()] {
        self->connect();
        self->watch_timeouts();
    });
}

void redis_client::stop() {
    net::dispatch(strand_, [self = shared_from_this()] {
        self->stopped_ = true;
        self->reconnect_timer_.cancel();
        self->watchdog_.cancel();
        if (auto* context = std::exchange(self->context_, nullptr)) redisAsyncFree(context);  // fails pending commands
    });
}

void redis_client::connect() {
    if (stopped_) return;
    redisAsyncContext* context = redisAsyncConnect(endpoint_.host.c_str(), endpoint_.port);
    if (!context || context->err || !redis_asio_adapter::attach(context, strand_)) {
        if (context) redisAsyncFree(context);
        return schedule_reconnect();
    }
    context->data = this;
    context_ = context;
    connect_started_ = std::chrono::steady_clock::now();
    redisAsyncSetConnectCallback(context, &redis_client::on_connect);
    redisAsyncSetDisconnectCallback(context, &redis_client::on_disconnect);
}

void redis_client::on_connect(const redisAsyncContext* context, int status) {
    auto* self = static_cast<redis_client*>(context->data);
    if (status != REDIS_OK) {
        self->context_ = nullptr;  // hiredis frees the context after this callback
        return self->schedule_reconnect();
    }
    self->connected_ = true;
    self->backoff_ = std::chrono::milliseconds(100);
    std::vector<engine::redis_command> setup{{{"SELECT", std::to_string(self->endpoint_.database)}}};
    for (const auto* script : engine::all_scripts()) setup.push_back({{"SCRIPT", "LOAD", script->source()}});
    auto connection = ++self->connection_number_;
    self->execute(std::move(setup), [client = self->shared_from_this(), connection](std::vector<redis_value> replies) {
        bool ok = true;
        for (const auto& reply : replies)
            if (reply.is_error()) {
                std::cerr << "redis: setup failed: " << reply.text << "\n";
                ok = false;
            }
        net::dispatch(client->strand_, [client, connection, ok] { client->setup_finished(connection, ok); });
    });
}

void redis_client::setup_finished(std::uint64_t connection, bool ok) {
    if (connection != connection_number_ || !context_) return;  // that connection is gone; its successor runs its own setup
    if (ok) {
        ready_ = true;
        return;
    }
    // A Redis still loading its data after a restart answers LOADING: this connection would
    // never become ready, so it is dropped and made again (after the backoff).
    redisAsyncFree(std::exchange(context_, nullptr));  // fails what is pending, then on_disconnect
    if (connected_) connection_lost();
}

void redis_client::on_disconnect(const redisAsyncContext* context, int) {
    auto* self = static_cast<redis_client*>(context->data);
    self->context_ = nullptr;
    self->connection_lost();
}

void redis_client::connection_lost() {
    bool was_connected = connected_;
    connected_ = false;
    ready_ = false;
    in_flight_.clear();
    if (was_connected) std::cerr << "redis: connection lost, reconnecting\n";
    schedule_reconnect();
}

void redis_client::schedule_reconnect() {
    if (stopped_) return;
    reconnect_timer_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(2000));
    reconnect_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec && !self->context_) self->connect();
    });
}

void redis_client::watch_timeouts() {
    // Checked four times per timeout: a stuck command is noticed within 1.25 timeouts.
    watchdog_.expires_after(std::max(std::chrono::milliseconds(10), command_timeout / 4));
    watchdog_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (ec || self->stopped_) return;
        auto now = std::chrono::steady_clock::now();
        bool command_stuck = !self->in_flight_.empty() && now - self->in_flight_.front() > self->command_timeout;
        bool connect_stuck = !self->connected_ && now - self->connect_started_ > self->command_timeout;
        if (self->context_ && (command_stuck || connect_stuck)) {
            std::cerr << "redis: command timed out, dropping the connection\n";
            auto* context = self->context_;
            self->context_ = nullptr;
            redisAsyncFree(context);  // fails every pending command, then on_disconnect
            self->connection_lost();
        }
        self->watch_timeouts();
    });
}

void redis_client::execute(std::vector<engine::redis_command> commands, engine::redis_batch_handler handler) {
    net::dispatch(strand_, [self = shared_from_this(), commands = std::move(commands), handler = std::move(handler)]() mutable {
        auto group = std::make_shared<batch>();
        group->replies.resize(commands.size());
        group->remaining = commands.size();
        group->handler = std::move(handler);
        bool usable = self->context_ && self->connected_;
        for (std::size_t i = 0; i < commands.size(); ++i) {
            if (!usable) {
                group->replies[i] = redis_value::error("redis unavailable");
                continue;
            }
            self->send(new slot{self, group, i, std::move(commands[i])}, false);
        }
        if (!usable || commands.empty()) net::post(self->io_, [group] { group->handler(std::move(group->replies)); });
    });
}

void redis_client::send(slot* s, bool as_eval) {
    std::vector<std::string> prefix;
    if (s->command.script) prefix = {as_eval ? "EVAL" : "EVALSHA", as_eval ? s->command.script->source() : s->command.script->sha()};
    std::vector<const char*> pointers;
    std::vector<size_t> lengths;
    for (const auto* part : {&prefix, &s->command.argv})
        for (const auto& arg : *part) {
            pointers.push_back(arg.data());
            lengths.push_back(arg.size());
        }
    in_flight_.push_back(std::chrono::steady_clock::now());
    if (redisAsyncCommandArgv(context_, &redis_client::on_reply, s, static_cast<int>(pointers.size()), pointers.data(),
                              lengths.data()) != REDIS_OK) {
        in_flight_.pop_back();
        on_reply(nullptr, nullptr, s);
    }
}

void redis_client::on_reply(redisAsyncContext*, void* raw, void* privdata) {
    std::unique_ptr<slot> s(static_cast<slot*>(privdata));
    auto& self = *s->client;
    if (raw && !self.in_flight_.empty()) self.in_flight_.pop_front();
    redis_value value = raw ? engine::to_redis_value(static_cast<redisReply*>(raw)) : redis_value::error("redis connection lost");
    if (raw && s->command.script && !s->retried && value.is_error() && value.text.starts_with("NOSCRIPT") && self.context_) {
        s->retried = true;
        return self.send(s.release(), true);
    }
    auto& group = *s->owner;
    group.replies[s->index] = std::move(value);
    if (--group.remaining == 0)
        net::post(self.io_, [owner = s->owner] { owner->handler(std::move(owner->replies)); });
}

}  // namespace lb::gateway
