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
    net::dispatch(strand_, [self = shared_from_this(), epoch, deadline, done = std::move(done)]() mutable {
        if (epoch != self->connection_number_ || !self->context_ || !self->connected_)
            return net::post(self->io_, [done = std::move(done)] { done(false); });
        // Only answers to INFOs sent from now on speak of this waiter's writes.
        self->write_waits_.push_back({epoch, deadline, std::move(done), self->info_polls_sent_, std::nullopt});
        if (!self->write_check_in_flight_) self->poll_written();
    });
}

// One INFO persistence at a time while anyone waits, answering every waiter it can: those whose
// writes it follows are written once Redis's buffer is empty or its file reached their mark.
void redis_client::poll_written() {
    write_check_in_flight_ = true;
    auto sent = ++info_polls_sent_;
    auto connection = connection_number_.load();
    execute({{{"INFO", "persistence"}}}, [self = shared_from_this(), sent, connection](std::vector<redis_value> replies) {
        auto reply = std::make_shared<redis_value>(std::move(replies.at(0)));
        net::dispatch(self->strand_, [self, sent, connection, reply] {
            auto now = std::chrono::steady_clock::now();
            bool readable = reply->kind == redis_value::type::string && connection == self->connection_number_;
            bool progress = false;
            std::vector<write_wait> still;
            for (auto& w : self->write_waits_) {
                if (w.after >= sent) {  // registered after this INFO went out
                    still.push_back(std::move(w));
                    continue;
                }
                auto check = readable && w.epoch == connection ? engine::check_written(w.mark, reply->text) : engine::write_check{};
                using state = engine::write_check::state;
                if (check.is == state::written || check.is == state::unavailable || self->stopped_ || now >= w.deadline) {
                    auto done = std::move(w.done);
                    bool written = check.is == state::written;
                    net::post(self->io_, [done = std::move(done), written] { done(written); });
                    progress = true;
                    continue;
                }
                progress = progress || !w.mark;
                w.mark = check.mark;
                still.push_back(std::move(w));
            }
            self->write_waits_ = std::move(still);
            if (self->write_waits_.empty() || self->stopped_) {
                self->write_check_in_flight_ = false;
                return;
            }
            // Usually the next event-loop turn of Redis writes what was buffered: ask again at once. A
            // background fsync holds the write back for up to two seconds: then ask every 2 ms.
            if (progress) return self->poll_written();
            self->write_timer_.expires_after(std::chrono::milliseconds(2));
            self->write_timer_.async_wait([self](boost::system::error_code ec) {
                if (ec) {
                    for (auto& w : self->write_waits_) net::post(self->io_, [done = std::move(w.done)] { done(false); });
                    self->write_waits_.clear();
                    self->write_check_in_flight_ = false;
                    return;
                }
                self->poll_written();
            });
        });
    });
}

}  // namespace lb::gateway
