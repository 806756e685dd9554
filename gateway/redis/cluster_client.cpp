#include "redis/cluster_client.hpp"

#include <iostream>

#include <boost/asio/post.hpp>

#include "lua_script.hpp"

namespace lb::gateway {

namespace net = boost::asio;
using engine::redis_address;
using engine::redis_command;
using engine::redis_value;

namespace {

std::string name_of(const redis_address& node) { return node.host + ":" + std::to_string(node.port); }

// Beyond this many redirects (and waits after TRYAGAIN) for one command the slot is moving longer
// than a request should wait: the error is the answer (a delivery is then spooled).
constexpr int redirect_limit = 8;

// The per-node client's own errors (not connected, connection lost): the node may be gone.
bool node_unreachable(const redis_value& reply) { return reply.is_error() && reply.text.starts_with("redis "); }

// ASKING holds for the next command only, so a script goes as EVAL: an EVALSHA answered NOSCRIPT
// would be sent again without it.
redis_command without_script(const redis_command& command) {
    if (!command.script) return command;
    redis_command eval{{"EVAL", command.script->source()}};
    eval.argv.insert(eval.argv.end(), command.argv.begin(), command.argv.end());
    return eval;
}

}  // namespace

struct cluster_client::batch {
    std::vector<redis_command> commands;
    std::vector<redis_value> replies;
    std::vector<int> redirects;
    std::size_t remaining = 0;
    engine::redis_batch_handler handler;
};

std::shared_ptr<redis_link> make_redis_link(net::io_context& io, engine::redis_endpoint endpoint,
                                            std::chrono::milliseconds command_timeout) {
    if (endpoint.in_cluster()) return std::make_shared<cluster_client>(io, std::move(endpoint), command_timeout);
    auto client = std::make_shared<redis_client>(io, std::move(endpoint));
    client->command_timeout = command_timeout;
    return client;
}

cluster_client::cluster_client(net::io_context& io, engine::redis_endpoint endpoint, std::chrono::milliseconds command_timeout)
    : io_(io), strand_(net::make_strand(io)), endpoint_(std::move(endpoint)), command_timeout_(command_timeout), refresh_timer_(strand_) {}

void cluster_client::start() {
    net::dispatch(strand_, [self = shared_from_this()] {
        for (const auto& seed : self->endpoint_.cluster_nodes) self->node(seed);
        self->keep_map_fresh();
    });
}

void cluster_client::stop() {
    net::dispatch(strand_, [self = shared_from_this()] {
        self->stopped_ = true;
        self->refresh_timer_.cancel();
        std::lock_guard lock(self->nodes_mutex_);
        for (auto& [name, client] : self->nodes_) client->stop();
    });
}

bool cluster_client::ready() const {
    std::lock_guard lock(nodes_mutex_);
    if (!map_ || primaries_.empty()) return false;
    for (const auto& client : primaries_)
        if (!client->ready()) return false;
    return true;
}

unsigned long long cluster_client::connection_epoch() const {
    std::lock_guard lock(nodes_mutex_);
    unsigned long long sum = map_version_.load() << 32;
    for (const auto& client : primaries_) sum += client->connection_epoch();
    return sum;
}

void cluster_client::on_every_primary(unsigned long long epoch, std::function<void(bool)> done,
                                      const std::function<void(redis_client&, std::function<void(bool)>)>& ask) {
    std::vector<std::shared_ptr<redis_client>> primaries;
    {
        std::lock_guard lock(nodes_mutex_);
        primaries = primaries_;
    }
    if (primaries.empty() || epoch != connection_epoch()) return net::post(io_, [done = std::move(done)] { done(false); });
    struct tally {
        std::atomic<std::size_t> left;
        std::atomic<bool> all_confirmed{true};
        std::function<void(bool)> done;
    };
    auto count = std::make_shared<tally>();
    count->left = primaries.size();
    count->done = std::move(done);
    for (const auto& client : primaries)
        ask(*client, [count](bool confirmed) {
            if (!confirmed) count->all_confirmed = false;
            if (--count->left == 0) count->done(count->all_confirmed.load());
        });
}

void cluster_client::wait_for_replicas(unsigned long long epoch, int replicas, int timeout_ms, std::function<void(bool)> done) {
    on_every_primary(epoch, std::move(done), [replicas, timeout_ms](redis_client& client, std::function<void(bool)> confirmed) {
        client.wait_for_replicas(client.connection_epoch(), replicas, timeout_ms, std::move(confirmed));
    });
}

void cluster_client::wait_until_written(unsigned long long epoch, int timeout_ms, std::function<void(bool)> done) {
    on_every_primary(epoch, std::move(done), [timeout_ms](redis_client& client, std::function<void(bool)> confirmed) {
        client.wait_until_written(client.connection_epoch(), timeout_ms, std::move(confirmed));
    });
}

engine::redis_persistence cluster_client::persistence() const {
    auto strength = [](const engine::redis_persistence& p) {
        if (!p.known) return 1;
        if (!p.aof) return 0;
        return p.fsync == engine::fsync_policy::always ? 3 : 2;
    };
    std::lock_guard lock(nodes_mutex_);
    std::optional<engine::redis_persistence> weakest;
    for (const auto& client : primaries_) {
        auto p = client->persistence();
        if (!weakest || strength(p) < strength(*weakest)) weakest = p;
    }
    return weakest.value_or(engine::redis_persistence{});
}

std::shared_ptr<redis_client> cluster_client::node(const redis_address& address) {
    std::lock_guard lock(nodes_mutex_);
    auto& client = nodes_[name_of(address)];
    if (!client) {
        client = std::make_shared<redis_client>(io_, engine::redis_endpoint{address.host, address.port, 0, {}, {}, false, {}});
        client->command_timeout = command_timeout_;
        client->start();
    }
    return client;
}

redis_address cluster_client::node_for(const redis_command& command) const {
    auto key = engine::routing_key(command);
    const redis_address* address = key ? map_->node_for_slot(engine::key_slot(*key)) : nullptr;
    return address ? *address : map_->nodes().front();
}

void cluster_client::execute(std::vector<redis_command> commands, engine::redis_batch_handler handler) {
    net::dispatch(strand_, [self = shared_from_this(), commands = std::move(commands), handler = std::move(handler)]() mutable {
        auto group = std::make_shared<batch>();
        group->replies.resize(commands.size());
        group->redirects.resize(commands.size());
        group->remaining = commands.size();
        group->commands = std::move(commands);
        group->handler = std::move(handler);
        if (!self->map_ || group->commands.empty()) {
            for (auto& reply : group->replies) reply = redis_value::error("redis unavailable: no cluster slot map yet");
            return net::post(self->io_, [group] { group->handler(std::move(group->replies)); });
        }
        std::vector<std::size_t> all(group->commands.size());
        for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
        self->route(group, std::move(all));
    });
}

void cluster_client::route(std::shared_ptr<batch> group, std::vector<std::size_t> indexes) {
    // One pipeline per node, each in the order the commands came.
    std::map<std::string, std::pair<redis_address, std::vector<std::size_t>>> by_node;
    for (auto i : indexes) {
        auto address = node_for(group->commands[i]);
        auto& part = by_node[name_of(address)];
        part.first = address;
        part.second.push_back(i);
    }
    for (auto& [name, part] : by_node) {
        std::vector<redis_command> commands;
        for (auto i : part.second) commands.push_back(group->commands[i]);
        node(part.first)->execute(std::move(commands), [self = shared_from_this(), group, which = std::move(part.second)](std::vector<redis_value> replies) mutable {
            net::dispatch(self->strand_, [self, group, which = std::move(which), replies = std::move(replies)]() mutable {
                for (std::size_t k = 0; k < which.size(); ++k) self->settle(group, which[k], std::move(replies[k]));
            });
        });
    }
}

void cluster_client::send_to(std::shared_ptr<batch> group, std::size_t index, const redis_address& address, bool asking) {
    std::vector<redis_command> commands;
    if (asking) commands = {{{"ASKING"}}, without_script(group->commands[index])};
    else commands = {group->commands[index]};
    node(address)->execute(std::move(commands), [self = shared_from_this(), group, index](std::vector<redis_value> replies) {
        net::dispatch(self->strand_, [self, group, index, reply = std::move(replies.back())]() mutable {
            self->settle(group, index, std::move(reply));
        });
    });
}

void cluster_client::settle(std::shared_ptr<batch> group, std::size_t index, redis_value reply) {
    if (reply.is_error() && !stopped_ && group->redirects[index] < redirect_limit) {
        if (auto redirect = engine::parse_redirect(reply.text)) {
            ++group->redirects[index];
            if (!redirect->ask) {
                map_->move_slot(redirect->slot, redirect->node);
                refresh_map();  // one slot moved: others likely did too
            }
            return send_to(group, index, redirect->node, redirect->ask);
        }
        if (reply.text.starts_with("TRYAGAIN")) {  // a multi-key command during a slot's migration
            auto attempt = ++group->redirects[index];
            auto timer = std::make_shared<net::steady_timer>(strand_, std::chrono::milliseconds(25 * attempt));
            return timer->async_wait([self = shared_from_this(), timer, group, index](boost::system::error_code) {
                self->send_to(group, index, self->node_for(group->commands[index]), false);
            });
        }
        if (node_unreachable(reply) || reply.text.starts_with("CLUSTERDOWN")) refresh_map();
    }
    group->replies[index] = std::move(reply);
    if (--group->remaining == 0) net::post(io_, [group] { group->handler(std::move(group->replies)); });
}

void cluster_client::keep_map_fresh() {
    if (stopped_) return;
    refresh_map();
    // Often until the first map is read, then now and then (a failover inside the cluster moves
    // slots without any command of ours being redirected).
    refresh_timer_.expires_after(map_ ? std::chrono::milliseconds(5000) : std::chrono::milliseconds(100));
    refresh_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec) self->keep_map_fresh();
    });
}

void cluster_client::refresh_map() {
    if (refreshing_) {
        refresh_again_ = true;
        return;
    }
    refreshing_ = true;
    // The nodes of the map first (the seeds may be gone), then the seeds.
    std::vector<std::shared_ptr<redis_client>> candidates;
    {
        std::lock_guard lock(nodes_mutex_);
        candidates = primaries_;
    }
    for (const auto& seed : endpoint_.cluster_nodes) candidates.push_back(node(seed));
    read_map_from(std::move(candidates), 0);
}

void cluster_client::read_map_from(std::vector<std::shared_ptr<redis_client>> candidates, std::size_t next) {
    while (next < candidates.size() && !candidates[next]->ready()) ++next;
    if (next == candidates.size() || stopped_) {
        refreshing_ = refresh_again_ = false;
        return;
    }
    auto asked = candidates[next];
    asked->execute({{{"CLUSTER", "SLOTS"}}}, [self = shared_from_this(), candidates = std::move(candidates), next](std::vector<redis_value> replies) mutable {
        net::dispatch(self->strand_, [self, candidates = std::move(candidates), next, reply = std::move(replies.at(0))]() mutable {
            auto map = engine::slot_map::from_cluster_slots(reply, candidates[next]->address().host);
            if (!map) return self->read_map_from(std::move(candidates), next + 1);
            if (!self->map_ || !(*self->map_ == *map)) {
                std::vector<std::shared_ptr<redis_client>> primaries;
                for (const auto& address : map->nodes()) primaries.push_back(self->node(address));
                std::lock_guard lock(self->nodes_mutex_);
                if (!self->map_) std::cerr << "redis: cluster slot map read, " << map->nodes().size() << " primaries\n";
                self->map_ = std::move(*map);
                self->primaries_ = std::move(primaries);
                ++self->map_version_;
            }
            self->refreshing_ = false;
            if (std::exchange(self->refresh_again_, false)) self->refresh_map();
        });
    });
}

}  // namespace lb::gateway
