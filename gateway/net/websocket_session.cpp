#include "net/websocket_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "common/error_boundary.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

websocket_session::websocket_session(net::ip::tcp::socket&& socket, std::shared_ptr<live_hub> hub,
                                     websocket_limits limits, metrics& counters, connection_limit::place place)
    : ws_(std::move(socket)), hub_(std::move(hub)), limits_(limits), counters_(counters), place_(std::move(place)),
      tokens_(limits.message_burst), refilled_(std::chrono::steady_clock::now()) {}

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
    if (!within_rate()) {
        counters_.ws_closed_flooding += 1;
        return close_with(websocket::close_code::policy_error, "too many messages; reconnect and send fewer");
    }
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (!shielded("a viewer's message", [&] { handle_message(text); })) send_error("the server could not handle that message");
    if (!closed_) do_read();
}

bool websocket_session::within_rate() {
    auto now = std::chrono::steady_clock::now();
    tokens_ = std::min(limits_.message_burst,
                       tokens_ + std::chrono::duration<double>(now - refilled_).count() * limits_.messages_per_second);
    refilled_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
}

void websocket_session::send_error(const std::string& message) {
    enqueue(std::make_shared<const std::string>(engine::to_text({{"type", "error"}, {"message", message}})), false);
}

void websocket_session::handle_message(const std::string& text) {
    auto parsed = parse_client_message(text);
    if (auto* error = std::get_if<std::string>(&parsed)) return send_error(*error);
    auto& message = std::get<client_message>(parsed);
    if (message.type == client_message::kind::resync) {
        if (!current_) return send_error("resync: subscribe first");
        return hub_->subscribe(shared_from_this(), *current_);
    }
    current_ = message.sub;
    hub_->subscribe(shared_from_this(), message.sub);
}

void websocket_session::deliver(shared_frame frame, bool snapshot) {
    // Inline when already on this connection's executor (always, when one thread serves everything).
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
    if (queue_.empty() || closed_) writing_ = false;
    else do_write();
}

void websocket_session::close_with(websocket::close_code code, const char* reason) {
    if (closed_) return;
    closed_ = true;
    hub_->unsubscribe(this);
    ws_.async_close(websocket::close_reason(code, reason), [self = shared_from_this()](beast::error_code) {
        beast::error_code ignored;
        beast::get_lowest_layer(self->ws_).close(ignored);
    });
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
