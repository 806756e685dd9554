#pragma once
// One live viewer: a WebSocket that receives shared frames from the live_hub.
// Its queue is bounded: past queue_bytes the backlog is dropped and replaced
// by one fresh snapshot; a write stuck longer than stuck_seconds closes it.
#include <chrono>
#include <deque>
#include <memory>
#include <optional>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "live/live_hub.hpp"
#include "common/metrics.hpp"
#include "net/connection_limit.hpp"

namespace lb::gateway {

struct websocket_limits {
    std::size_t queue_bytes = 256 * 1024;
    std::chrono::seconds stuck{30};
    std::size_t message_bytes = 4096;  // what a viewer may send us: subscribe and resync messages
    // Control messages (subscribe, resync) each cost a board read: a viewer may send a
    // burst of this many, refilled at this rate; past it the viewer is closed with a reason.
    double messages_per_second = 5;
    double message_burst = 20;
};

class websocket_session : public live_client, public std::enable_shared_from_this<websocket_session> {
public:
    websocket_session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<live_hub> hub, websocket_limits limits,
                      metrics& counters, connection_limit::place place);
    ~websocket_session() override;

    void run(boost::beast::http::request<boost::beast::http::string_body> request, std::optional<subscription> initial);
    void deliver(shared_frame frame, bool snapshot) override;

private:
    void on_accept(boost::beast::error_code ec, std::optional<subscription> initial);
    void do_read();
    void on_read(boost::beast::error_code ec);
    void handle_message(const std::string& text);
    bool within_rate();
    void send_error(const std::string& message);
    void close_with(boost::beast::websocket::close_code code, const char* reason);
    void enqueue(shared_frame frame, bool snapshot);
    void drop_backlog();
    void do_write();
    void on_write(boost::beast::error_code ec);
    void close();

    // A plain socket underneath: the websocket stream keeps its own idle timer, and
    // tcp_stream's per-operation timer costs on every one of thousands of frame writes.
    boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
    boost::beast::flat_buffer buffer_;
    std::deque<shared_frame> queue_;  // the front is being written while writing_
    std::size_t queued_bytes_ = 0;
    bool writing_ = false;
    bool awaiting_snapshot_ = false;
    bool closed_ = false;
    std::chrono::steady_clock::time_point write_started_;
    std::shared_ptr<live_hub> hub_;
    websocket_limits limits_;
    metrics& counters_;
    std::optional<subscription> current_;
    connection_limit::place place_;
    double tokens_ = 0;
    std::chrono::steady_clock::time_point refilled_;
};

}  // namespace lb::gateway
