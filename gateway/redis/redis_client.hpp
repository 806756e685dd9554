#pragma once
// The server's Redis connection: hiredis' async API on the server's
// io_context, pipelined, with command timeouts and reconnection with backoff.
// All hiredis calls happen on one strand.
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "redis/redis_asio_adapter.hpp"
#include "redis/redis_link.hpp"
#include "redis/sentinel_link.hpp"

namespace lb::gateway {

class redis_client : public redis_link, public std::enable_shared_from_this<redis_client> {
public:
    redis_client(boost::asio::io_context& io, engine::redis_endpoint endpoint);
    ~redis_client() override;

    void start() override;
    void stop() override;
    // True once connected, the database selected and the scripts loaded.
    bool ready() const override { return ready_.load(); }
    // The node as configured (for Sentinel: where the sentinels are asked, not the primary).
    engine::redis_address address() const { return {endpoint_.host, endpoint_.port}; }

    // When not connected, the handler gets error replies at once: callers answer 503.
    void execute(std::vector<engine::redis_command> commands, engine::redis_batch_handler handler) override;

    unsigned long long connection_epoch() const override { return connection_number_.load(); }
    // Waits of many requests share one WAIT: a WAIT blocks the connection while it waits, and
    // one sent after a write covers every earlier write on that connection.
    void wait_for_replicas(unsigned long long epoch, int replicas, int timeout_ms, std::function<void(bool)> done) override;

    // Read at every connection's setup and every second after (CONFIG GET appendonly appendfsync,
    // INFO persistence): an operator's CONFIG SET is followed.
    engine::redis_persistence persistence() const override;
    // Many waits share one series of INFO persistence polls, as replica waits share one WAIT.
    void wait_until_written(unsigned long long epoch, int timeout_ms, std::function<void(bool)> done) override;

    // A command unanswered this long drops the connection (failing every pending command, so
    // requests answer 503 and webhooks go to the spool), then it reconnects with backoff.
    std::chrono::milliseconds command_timeout{1000};

private:
    struct batch;
    struct slot;
    struct replica_wait {
        unsigned long long epoch;
        int replicas;
        int timeout_ms;
        std::function<void(bool)> done;
    };
    struct write_wait {
        unsigned long long epoch;
        std::chrono::steady_clock::time_point deadline;
        std::function<void(bool)> done;
        unsigned long long after;                 // INFOs sent before it registered (their answers do not cover it)
        std::optional<engine::aof_mark> mark;     // set by the first answer that covers it
    };
    static void on_reply(redisAsyncContext* context, void* reply, void* privdata);
    static void on_connect(const redisAsyncContext* context, int status);
    static void on_disconnect(const redisAsyncContext* context, int status);

    void connect();
    void connect_to(const engine::redis_address& address);
    void drop_connection(const char* why);
    void look_for_replica(unsigned long long connection);
    void send_wait();
    void read_persistence(unsigned long long connection);
    void poll_written();
    void send(slot* s, bool as_eval);
    void connection_lost();
    void schedule_reconnect();
    void watch_timeouts();
    void setup_finished(unsigned long long connection, bool ok);

    boost::asio::io_context& io_;
    redis_strand strand_;
    engine::redis_endpoint endpoint_;
    redisAsyncContext* context_ = nullptr;
    bool connected_ = false;
    // Tells a finished setup or a replica wait whether its connection is still the current one;
    // written on the strand, read from any thread.
    std::atomic<unsigned long long> connection_number_{0};
    std::unique_ptr<sentinel_link> sentinels_;  // set when the endpoint names sentinels
    bool asking_sentinels_ = false;
    engine::redis_address connected_to_;
    std::vector<replica_wait> next_wait_;      // requests for the WAIT after the one in flight
    bool wait_in_flight_ = false;
    std::vector<write_wait> write_waits_;  // on the strand
    unsigned long long info_polls_sent_ = 0;
    bool write_check_in_flight_ = false;
    boost::asio::steady_timer write_timer_;
    boost::asio::steady_timer persistence_timer_;
    mutable std::mutex persistence_mutex_;
    engine::redis_persistence persistence_;
    bool stopped_ = false;
    std::atomic<bool> ready_{false};
    std::deque<std::chrono::steady_clock::time_point> in_flight_;
    boost::asio::steady_timer reconnect_timer_;
    boost::asio::steady_timer watchdog_;
    boost::asio::steady_timer replica_timer_;  // while reads fall back to the primary
    std::chrono::milliseconds backoff_{100};
    std::chrono::steady_clock::time_point connect_started_;
};

}  // namespace lb::gateway
