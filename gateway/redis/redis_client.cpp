#include "redis/redis_client.hpp"

#include <algorithm>
#include <iostream>
#include <utility>

#include <boost/asio/post.hpp>
#include <hiredis/async.h>

#include "lua_script.hpp"
#include "sentinel.hpp"
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
    : io_(io), strand_(net::make_strand(io)), endpoint_(std::move(endpoint)),
      write_timer_(strand_), persistence_timer_(strand_), reconnect_timer_(strand_), watchdog_(strand_), replica_timer_(strand_) {
    if (endpoint_.through_sentinels()) sentinels_ = std::make_unique<sentinel_link>(strand_, endpoint_);
}

redis_client::~redis_client() = default;

void redis_client::start() {
    net::dispatch(strand_, [self = shared_from_this()] {
        self->connect();
        self->watch_timeouts();
        if (self->sentinels_)
            self->sentinels_->watch([weak = std::weak_ptr(self)] {
                if (auto client = weak.lock()) client->drop_connection("the primary changed");
            });
    });
}

void redis_client::stop() {
    net::dispatch(strand_, [self = shared_from_this()] {
        self->stopped_ = true;
        self->reconnect_timer_.cancel();
        self->watchdog_.cancel();
        self->replica_timer_.cancel();
        self->write_timer_.cancel();
        self->persistence_timer_.cancel();
        if (self->sentinels_) self->sentinels_->stop();
        if (auto* context = std::exchange(self->context_, nullptr)) redisAsyncFree(context);  // fails pending commands
    });
}

void redis_client::connect() {
    if (stopped_) return;
    connect_started_ = std::chrono::steady_clock::now();
    if (!sentinels_) return connect_to({endpoint_.host, endpoint_.port});
    if (asking_sentinels_) return;
    asking_sentinels_ = true;
    // Asked again at every connection: after a failover the old address is a replica or gone.
    sentinels_->ask([self = shared_from_this()](std::optional<engine::redis_address> primary, std::string why) {
        self->asking_sentinels_ = false;
        if (self->stopped_ || self->context_) return;
        if (!primary) {
            std::cerr << "redis: no sentinel named the primary \"" << self->endpoint_.primary_name << "\": " << why << "\n";
            return self->schedule_reconnect();
        }
        self->connect_to(*primary);
    });
}

void redis_client::connect_to(const engine::redis_address& address) {
    connected_to_ = address;
    redisAsyncContext* context = redis_asio_adapter::connect(address.host, address.port, strand_, this);
    if (!context) return schedule_reconnect();
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
    bool confirm_role = self->endpoint_.through_sentinels();
    if (confirm_role) setup.push_back({{"ROLE"}});
    auto connection = ++self->connection_number_;
    self->execute(std::move(setup), [client = self->shared_from_this(), connection, confirm_role](std::vector<redis_value> replies) {
        bool ok = true;
        for (const auto& reply : replies)
            if (reply.is_error()) {
                std::cerr << "redis: setup failed: " << reply.text << "\n";
                ok = false;
            }
        bool on_primary = confirm_role && engine::role_is_primary(replies.back());
        if (confirm_role && ok && !client->endpoint_.prefer_replica && !on_primary) {
            std::cerr << "redis: the node the sentinels named is not the primary (yet); asking again\n";
            ok = false;
        }
        net::dispatch(client->strand_, [client, connection, ok, on_primary] {
            client->setup_finished(connection, ok);
            // Reads that fell back to the primary move to a replica once one is healthy again.
            if (ok && on_primary && client->endpoint_.prefer_replica) client->look_for_replica(connection);
        });
    });
}

void redis_client::setup_finished(unsigned long long connection, bool ok) {
    if (connection != connection_number_ || !context_) return;  // that connection is gone; its successor runs its own setup
    if (ok) {
        read_persistence(connection);
        ready_ = true;
        return;
    }
    // A Redis still loading its data after a restart answers LOADING: this connection would
    // never become ready, so it is dropped and made again (after the backoff).
    redisAsyncFree(std::exchange(context_, nullptr));  // fails what is pending, then on_disconnect
    if (connected_) connection_lost();
}

void redis_client::look_for_replica(unsigned long long connection) {
    replica_timer_.expires_after(std::chrono::seconds(5));
    replica_timer_.async_wait([self = shared_from_this(), connection](boost::system::error_code ec) {
        if (ec || self->stopped_ || connection != self->connection_number_ || !self->context_ || self->asking_sentinels_) return;
        self->asking_sentinels_ = true;
        self->sentinels_->ask([self, connection](std::optional<engine::redis_address> node, std::string) {
            self->asking_sentinels_ = false;
            if (self->stopped_) return;
            if (!self->context_) return self->connect();  // dropped meanwhile: its reconnect waited for this answer
            if (connection != self->connection_number_) return;
            bool replica_found = node && (node->host != self->connected_to_.host || node->port != self->connected_to_.port);
            if (replica_found) return self->drop_connection("a replica is healthy again; reads move to it");
            self->look_for_replica(connection);
        });
    });
}

void redis_client::drop_connection(const char* why) {
    if (!context_ || stopped_) return;
    std::cerr << "redis: " << why << ", reconnecting\n";
    bool was_connected = connected_;
    redisAsyncFree(std::exchange(context_, nullptr));  // fails every pending command, then on_disconnect if connected
    if (connected_) connection_lost();
    else if (!was_connected) schedule_reconnect();
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
    auto interval = std::max(std::chrono::milliseconds(10), command_timeout / 4);
    watchdog_.expires_after(interval);
    watchdog_.async_wait([self = shared_from_this(), due = std::chrono::steady_clock::now() + interval, interval](boost::system::error_code ec) {
        if (ec || self->stopped_) return;
        auto now = std::chrono::steady_clock::now();
        // Fired late: this thread was busy (the live thread writing a frame to a thousand viewers), and
        // the replies may be waiting unread in the socket. A command is judged in the next round, once
        // the thread has had its turn to read them, unless it has waited four timeouts.
        bool thread_was_busy = now - due > interval;
        auto waited = self->in_flight_.empty() ? std::chrono::steady_clock::duration{} : now - self->in_flight_.front();
        bool command_stuck = waited > (thread_was_busy ? 4 * self->command_timeout : self->command_timeout);
        bool connect_stuck = !self->connected_ && now - self->connect_started_ > self->command_timeout;
        if (self->context_ && (command_stuck || connect_stuck)) self->drop_connection("a command timed out");
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
    // A primary demoted under us (a failover, or an operator's REPLICAOF) refuses writes: the
    // connection is made again to whichever node is the primary now.
    if (value.is_error() && value.text.starts_with("READONLY"))
        net::post(self.strand_, [client = s->client] { client->drop_connection("the node became a replica"); });
    auto& group = *s->owner;
    group.replies[s->index] = std::move(value);
    if (--group.remaining == 0)
        net::post(self.io_, [owner = s->owner] { owner->handler(std::move(owner->replies)); });
}

void redis_client::wait_for_replicas(unsigned long long epoch, int replicas, int timeout_ms, std::function<void(bool)> done) {
    net::dispatch(strand_, [self = shared_from_this(), wait = replica_wait{epoch, replicas, timeout_ms, std::move(done)}]() mutable {
        if (wait.epoch != self->connection_number_ || !self->context_ || !self->connected_)
            return net::post(self->io_, [done = std::move(wait.done)] { done(false); });
        self->next_wait_.push_back(std::move(wait));
        if (!self->wait_in_flight_) self->send_wait();
    });
}

void redis_client::send_wait() {
    auto waits = std::make_shared<std::vector<replica_wait>>(std::exchange(next_wait_, {}));
    int replicas = 0, timeout_ms = 0;
    for (const auto& w : *waits) replicas = std::max(replicas, w.replicas), timeout_ms = std::max(timeout_ms, w.timeout_ms);
    wait_in_flight_ = true;
    auto connection = connection_number_.load();
    execute({{{"WAIT", std::to_string(replicas), std::to_string(timeout_ms)}}},
            [self = shared_from_this(), waits, connection](std::vector<redis_value> replies) {
                const auto& r = replies.at(0);
                long long acked = r.kind == redis_value::type::integer ? r.integer : -1;
                for (auto& w : *waits) w.done(w.epoch == connection && acked >= w.replicas);
                net::dispatch(self->strand_, [self] {
                    self->wait_in_flight_ = false;
                    if (!self->next_wait_.empty()) self->send_wait();
                });
            });
}

}  // namespace lb::gateway
