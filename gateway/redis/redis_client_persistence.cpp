// What a redis_client knows of its Redis's persistence, and the wait for Redis to have written
// what was sent (the AOF write check), apart from the connection's own work.
#include "redis/redis_client.hpp"

#include <boost/asio/post.hpp>

namespace lb::gateway {

namespace net = boost::asio;
using engine::redis_value;

engine::redis_persistence redis_client::persistence() const {
    std::lock_guard lock(persistence_mutex_);
    return persistence_;
}

void redis_client::read_persistence(unsigned long long connection) {
    // Apart from the setup: a managed Redis may refuse CONFIG, and that must not keep it from being used.
    execute({{{"CONFIG", "GET", "appendonly"}}, {{"CONFIG", "GET", "appendfsync"}}, {{"INFO", "persistence"}}},
            [self = shared_from_this(), connection](std::vector<redis_value> replies) {
                if (connection != self->connection_number_) return;
                std::string refused;
                auto value = [&refused](const redis_value& r) -> std::optional<std::string> {
                    if (r.is_error()) refused = r.text;
                    if (r.kind != redis_value::type::array || r.elements.size() != 2) return std::nullopt;
                    return r.elements[1].text;
                };
                auto appendonly = value(replies.at(0));
                auto appendfsync = value(replies.at(1));
                std::string info = replies.at(2).kind == redis_value::type::string ? replies.at(2).text : "";
                auto read = engine::read_persistence(appendonly, appendfsync, info, refused);
                {
                    std::lock_guard lock(self->persistence_mutex_);
                    self->persistence_ = std::move(read);
                }
                net::dispatch(self->strand_, [self, connection] {
                    if (self->stopped_) return;
                    self->persistence_timer_.expires_after(std::chrono::seconds(1));
                    self->persistence_timer_.async_wait([self, connection](boost::system::error_code ec) {
                        if (!ec && connection == self->connection_number_ && self->context_) self->read_persistence(connection);
                    });
                });
            });
}

void redis_client::wait_until_written(unsigned long long epoch, int timeout_ms, std::function<void(bool)> done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    net::dispatch(strand_, [self = shared_from_this(), wait = write_wait{epoch, deadline, std::move(done)}]() mutable {
        if (wait.epoch != self->connection_number_ || !self->context_ || !self->connected_)
            return net::post(self->io_, [done = std::move(wait.done)] { done(false); });
        self->next_write_wait_.push_back(std::move(wait));
        if (!self->write_check_in_flight_) self->start_write_check();
    });
}

void redis_client::start_write_check() {
    write_check_in_flight_ = true;
    auto waits = std::make_shared<std::vector<write_wait>>(std::exchange(next_write_wait_, {}));
    poll_written(std::move(waits), std::nullopt, connection_number_.load());
}

void redis_client::poll_written(std::shared_ptr<std::vector<write_wait>> waits, std::optional<engine::aof_mark> mark,
                                unsigned long long connection) {
    execute({{{"INFO", "persistence"}}}, [self = shared_from_this(), waits, mark, connection](std::vector<redis_value> replies) {
        const auto& r = replies.at(0);
        auto check = r.kind == redis_value::type::string && connection == self->connection_number_
                         ? engine::check_written(mark, r.text)
                         : engine::write_check{};
        using state = engine::write_check::state;
        auto now = std::chrono::steady_clock::now();
        std::vector<write_wait> waiting;
        for (auto& w : *waits) {
            bool ours = w.epoch == connection;
            if (check.is == state::written || check.is == state::unavailable || !ours || now >= w.deadline)
                w.done(check.is == state::written && ours);
            else
                waiting.push_back(std::move(w));
        }
        net::dispatch(self->strand_, [self, waiting = std::move(waiting), check, connection]() mutable {
            if (self->stopped_) {
                for (auto& w : waiting) w.done(false);
                return;
            }
            if (waiting.empty()) {
                self->write_check_in_flight_ = false;
                if (!self->next_write_wait_.empty()) self->start_write_check();
                return;
            }
            // A background fsync holds Redis's write back for up to two seconds: ask again shortly.
            self->write_timer_.expires_after(std::chrono::milliseconds(2));
            self->write_timer_.async_wait([self, rest = std::make_shared<std::vector<write_wait>>(std::move(waiting)), check,
                                           connection](boost::system::error_code ec) {
                if (ec) {
                    for (auto& w : *rest) w.done(false);
                    return;
                }
                self->poll_written(rest, check.mark, connection);
            });
        });
    });
}

}  // namespace lb::gateway
