#include "net/websocket_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

namespace lb::gateway {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

websocket_session::websocket_session(net::ip::tcp::socket&& socket, std::shared_ptr<live_hub> hub,
                                     websocket_limits limits, metrics& counters)
    : ws_(std::move(socket)), hub_(std::move(hub)), limits_(limits), counters_(counters) {}

websocket_session::~websocket_session() {
    hub_->unsubscribe(this);
    counters_.ws_sessions_open -= 1;
    counters_.ws_queued_bytes -= static_cast<long long>(queued_bytes_);
}

void websocket_session::run(beast::http::request<beast::http::string_body> request, std::optional<subscription> initial) {
    counters_.ws_sessions_open += 1;
    // A small kernel buffer per viewer (the kernel doubles it): backpressure shows up in our
    // bounded queue, not in socket memory. With 64 KB, 500 viewers that stopped reading made
    // the kernel fill ~150 MB of fresh buffers and doubled everyone else's p99 (bench/fanout.sh
    // with silent=0.1: median 186.5 -> 150.5 ms). 32 KB in flight still carries ~160 KB/s at a
    // 200 ms round trip.
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).set_option(net::socket_base::send_buffer_size(16 * 1024), ignored);
    // Beast pings after half the idle time without traffic: every 15 s, so proxies keep the connection.
    websocket::stream_base::timeout timeouts{std::chrono::seconds(10), std::chrono::seconds(30), true};
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
        response.set(beast::http::field::server, "leaderboard");
    }));
    ws_.read_message_max(limits_.message_bytes);
    ws_.async_accept(request, [self = shared_from_this(), initial](beast::error_code ec) { self->on_accept(ec, initial); });
}

void websocket_session::on_accept(beast::error_code ec, std::optional<subscription> initial) {
    if (ec) return;
    if (initial) {
        current_ = initial;
        hub_->subscribe(shared_from_this(), *initial);
    }
    do_read();
}

void websocket_session::do_read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void websocket_session::on_read(beast::error_code ec) {
    if (ec) return close();  // closed by the viewer, timed out, or a message over the size limit
    handle_message(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    do_read();
}

void websocket_session::handle_message(const std::string& text) {
    auto message = nlohmann::json::parse(text, nullptr, false);
    std::string type = message.is_object() ? message.value("type", "") : "";
    if (type == "resync" && current_) return hub_->subscribe(shared_from_this(), *current_);
    if (type == "subscribe") {
        auto parsed = parse_subscribe_message(message);
        if (auto* sub = std::get_if<subscription>(&parsed)) {
            current_ = *sub;
            return hub_->subscribe(shared_from_this(), *sub);
        }
        return enqueue(std::make_shared<const std::string>(nlohmann::json{{"type", "error"}, {"message", std::get<std::string>(parsed)}}.dump()), false);
    }
    enqueue(std::make_shared<const std::string>(
                nlohmann::json{{"type", "error"}, {"message", "expected {\"type\":\"subscribe\",...} or {\"type\":\"resync\"}"}}.dump()),
            false);
}

void websocket_session::deliver(shared_frame frame, bool snapshot) {
    // Inline when already on this session's executor (always, when one thread serves everything).
    net::dispatch(ws_.get_executor(), [self = shared_from_this(), frame = std::move(frame), snapshot]() mutable {
        self->enqueue(std::move(frame), snapshot);
    });
}

// Keeps the frame being written; everything else queued is dropped.
void websocket_session::drop_backlog() {
    std::size_t keep = writing_ ? 1 : 0;
    while (queue_.size() > keep) {
        queued_bytes_ -= queue_.back()->size();
        counters_.ws_queued_bytes -= static_cast<long long>(queue_.back()->size());
        counters_.ws_frames_dropped += 1;
        queue_.pop_back();
    }
}

void websocket_session::enqueue(shared_frame frame, bool snapshot) {
    if (closed_) return;
    if (writing_ && std::chrono::steady_clock::now() - write_started_ > limits_.stuck) {
        counters_.ws_closed_slow += 1;
        return close();
    }
    if (snapshot) {
        drop_backlog();
        awaiting_snapshot_ = false;
    } else if (awaiting_snapshot_) {
        counters_.ws_frames_dropped += 1;
        return;  // a fresh snapshot is on its way and supersedes this
    } else if (!queue_.empty() && queued_bytes_ + frame->size() > limits_.queue_bytes) {
        drop_backlog();
        counters_.ws_frames_dropped += 1;
        awaiting_snapshot_ = true;
        if (current_) hub_->subscribe(shared_from_this(), *current_);
        return;
    }
    queued_bytes_ += frame->size();
    counters_.ws_queued_bytes += static_cast<long long>(frame->size());
    queue_.push_back(std::move(frame));
    if (!writing_) do_write();
}

void websocket_session::do_write() {
    writing_ = true;
    write_started_ = std::chrono::steady_clock::now();
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_write(ec);
    });
}

void websocket_session::on_write(beast::error_code ec) {
    if (ec) return close();
    queued_bytes_ -= queue_.front()->size();
    counters_.ws_queued_bytes -= static_cast<long long>(queue_.front()->size());
    counters_.ws_frames_sent += 1;
    queue_.pop_front();
    if (queue_.empty()) writing_ = false;
    else do_write();
}

void websocket_session::close() {
    if (closed_) return;
    closed_ = true;
    hub_->unsubscribe(this);
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).close(ignored);
}

}  // namespace lb::gateway
