#include "net/http_session.hpp"

#include <algorithm>
#include <array>
#include <iostream>

#include <unistd.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

namespace lb::gateway {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

http_session::http_session(net::ip::tcp::socket&& socket, std::shared_ptr<const session_services> services)
    : stream_(std::move(socket)), services_(std::move(services)), limits_(services_->limits) {}

void http_session::run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
}

void http_session::do_read() {
    parser_.emplace();
    stream_.expires_after(limits_.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

// The body limit depends on the route, so it is set once the header is in.
void http_session::on_header(beast::error_code ec) {
    std::size_t limit = limits_.body_bytes;
    if (!ec && parser_->get().target().starts_with("/hooks/")) limit = limits_.webhook_body_bytes;
    if (ec) return refuse(ec, limit);
    parser_->body_limit(limit);
    // Beast reads at most the buffer's free capacity per system call: without room for the
    // body, a 25 KB webhook took about fifty reads.
    if (auto length = parser_->content_length(); length && *length <= limit) {
        buffer_.reserve(buffer_.size() + static_cast<std::size_t>(std::min<std::uint64_t>(*length, 256 * 1024)));
        // The JSON parser reads up to 64 bytes past the end (SIMDJSON_PADDING): with that room
        // reserved now, the webhook body is not copied into a larger string before parsing.
        parser_->get().body().reserve(static_cast<std::size_t>(*length) + 64);
    }
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this(), limit](beast::error_code ec, std::size_t bytes) {
        if (ec) return self->refuse(ec, limit);
        self->on_read(ec, bytes);
    });
}

void http_session::refuse(beast::error_code ec, std::size_t limit) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::connection_reset) return do_close();
    if (ec == http::error::body_limit)
        return send(json_error(413, "payload_too_large", "the body exceeds " + std::to_string(limit) + " bytes"), false, false);
    send(json_error(400, "bad_request", "malformed HTTP request: " + ec.message()), false, false);
}

void http_session::on_read(beast::error_code, std::size_t) {
    auto request = parser_->release();
    if (beast::websocket::is_upgrade(request)) return upgrade(std::move(request));
    version_ = request.version();
    bool keep_alive = request.keep_alive();
    bool head = request.method() == http::verb::head;
    api_request input{std::string(request.method_string()), std::string(request.target()),
                      std::string(request[http::field::authorization]), std::string(request[http::field::content_type]),
                      std::move(request.body()), {}};
    for (const auto& field : request) {
        auto name = field.name_string();
        if (name.size() > 2 && (name[0] == 'x' || name[0] == 'X') && name[1] == '-') {
            std::string lower(name);
            for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            input.headers[lower] = std::string(field.value());
        }
    }
    services_->router->handle(std::move(input), [self = shared_from_this(), keep_alive, head](api_response response) {
        net::post(self->stream_.get_executor(), [self, keep_alive, head, response = std::move(response)]() mutable {
            self->send(std::move(response), keep_alive, head);
        });
    });
}

void http_session::upgrade(http::request<http::string_body>&& request) {
    version_ = request.version();
    auto target = parse_target(std::string(request.target()));
    if (!target || target->segments != std::vector<std::string>{"ws"} || !services_->hub)
        return send(json_error(404, "not_found", "the live stream is at /ws"), false, false);
    const auto& allowed = services_->allowed_origins;
    std::string origin(request[http::field::origin]);
    if (!origin.empty() && !allowed.empty() && std::find(allowed.begin(), allowed.end(), origin) == allowed.end())
        return send(json_error(403, "origin_not_allowed", "this origin may not open the live stream"), false, false);
    std::optional<subscription> initial;
    if (target->query.count("contest")) {
        auto parsed = parse_subscription(target->query);
        if (auto* error = std::get_if<std::string>(&parsed)) return send(json_error(400, "bad_query", *error), false, false);
        initial = std::get<subscription>(parsed);
    }
    // The connection moves to the live thread's io_context: same descriptor, new owner.
    auto socket = stream_.release_socket();
    boost::system::error_code ec;
    auto protocol = socket.local_endpoint(ec).protocol();
    if (ec) return;
    auto descriptor = socket.release(ec);
    if (ec) return;
    net::ip::tcp::socket moved(*services_->live_io);
    moved.assign(protocol, descriptor, ec);
    if (ec) return static_cast<void>(::close(descriptor));
    net::post(*services_->live_io, [services = services_, moved = std::move(moved), request = std::move(request),
                                     initial = std::move(initial)]() mutable {
        std::make_shared<websocket_session>(std::move(moved), services->hub, services->live, *services->counters)
            ->run(std::move(request), std::move(initial));
    });
}

void http_session::send(api_response response, bool keep_alive, bool head) {
    response_ = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(response.status), version_);
    response_->set(http::field::server, "leaderboard");
    response_->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) response_->set(name, value);
    response_->keep_alive(keep_alive);
    std::size_t length = response.body.size();
    if (!head) response_->body() = std::move(response.body);
    response_->content_length(length);
    bool close = !keep_alive;
    stream_.expires_after(limits_.read_timeout);
    if (head) {
        auto serializer = std::make_shared<http::response_serializer<http::string_body>>(*response_);
        return http::async_write_header(stream_, *serializer,
                                        [self = shared_from_this(), serializer, close](beast::error_code ec, std::size_t) {
                                            self->on_write(ec, close);
                                        });
    }
    http::async_write(stream_, *response_, [self = shared_from_this(), close](beast::error_code ec, std::size_t) {
        self->on_write(ec, close);
    });
}

void http_session::on_write(beast::error_code ec, bool close) {
    if (ec || close) return do_close();
    response_.reset();
    do_read();
}

void http_session::do_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    // Closing with unread input makes the kernel send a reset, and a client
    // still sending a refused body would lose our answer: drain it first, bounded.
    drained_ = 0;
    stream_.expires_after(std::chrono::seconds(5));
    do_drain();
}

void http_session::do_drain() {
    auto scratch = std::make_shared<std::array<char, 16384>>();
    stream_.async_read_some(net::buffer(*scratch), [self = shared_from_this(), scratch](beast::error_code ec, std::size_t n) {
        self->drained_ += n;
        if (!ec && self->drained_ < max_drain_bytes) self->do_drain();
    });
}

}  // namespace lb::gateway
