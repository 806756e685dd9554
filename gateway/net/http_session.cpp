#include "net/http_session.hpp"

#include <algorithm>
#include <array>

#include <unistd.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

namespace lb::gateway {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

bool is_x_header(std::string_view name) { return name.size() > 2 && (name[0] == 'x' || name[0] == 'X') && name[1] == '-'; }

// The other headers a route reads: the session cookie, where a write comes from, the visitor's languages.
bool is_read_header(const beast::string_view& name) {
    return beast::iequals(name, "idempotency-key") || beast::iequals(name, "cookie") || beast::iequals(name, "origin") ||
           beast::iequals(name, "accept-language") || beast::iequals(name, "host");
}

// The request as the router sees it before the body: the X-* headers and Idempotency-Key
// lower-cased, and the name of a singular header sent twice (a second signature or token is
// refused, never silently ignored).
api_request head_of(const http::request<http::string_body>& request) {
    api_request head{std::string(request.method_string()), std::string(request.target()),
                     std::string(request[http::field::authorization]), std::string(request[http::field::content_type]), {}, {}, {}, {}};
    int authorizations = 0, content_types = 0;
    for (const auto& field : request) {
        if (field.name() == http::field::authorization) {
            if (++authorizations == 2) head.repeated_header = "authorization";
            continue;
        }
        if (field.name() == http::field::content_type) {
            if (++content_types == 2) head.repeated_header = "content-type";
            continue;
        }
        std::string_view name(field.name_string().data(), field.name_string().size());
        if (!is_x_header(name) && !is_read_header(field.name_string())) continue;
        std::string lower(name);
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!head.headers.try_emplace(lower, field.value()).second) head.repeated_header = lower;
    }
    return head;
}

}  // namespace

http_session::http_session(net::ip::tcp::socket&& socket, std::shared_ptr<const session_services> services,
                           connection_limit::place place)
    : stream_(std::move(socket)), services_(std::move(services)), place_(std::move(place)), limits_(services_->limits) {
    beast::error_code ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = remote.address().to_string();
}

void http_session::run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read(); });
}

void http_session::do_read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits_.header_bytes));
    // Beast checks a Content-Length against the limit as the header completes, before the
    // route is known: the largest any route takes, then on_header applies the route's own.
    parser_->body_limit(services_->router->largest_body_limit());
    pre_ = {};
    stream_.expires_after(limits_.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

// The route decides the body limit and who may send one, so it is chosen once the header is in.
void http_session::on_header(beast::error_code ec) {
    if (ec) return refuse(ec);
    version_ = parser_->get().version();
    head_ = head_of(parser_->get());
    head_.peer = peer_;
    pre_ = services_->router->preflight(head_);
    if (pre_.refusal) {
        // With no body to skip, the connection can carry the client's next request.
        auto length = parser_->content_length();
        bool bodiless = !parser_->chunked() && (!length || *length == 0);
        if (!bodiless || !parser_->get().keep_alive()) return answer_and_close(std::move(*pre_.refusal));
        services_->counters->count_request(pre_.label, pre_.refusal->status);
        return send(std::move(*pre_.refusal), true, parser_->get().method() == http::verb::head);
    }
    if (auto length = parser_->content_length(); length && *length > pre_.body_limit)
        return answer_and_close(json_error(413, "payload_too_large", "the body exceeds " + std::to_string(pre_.body_limit) + " bytes"));
    parser_->body_limit(pre_.body_limit);  // a chunked body is counted as it arrives
    // Beast reads at most the buffer's free capacity per system call: without room for the
    // body, a 25 KB webhook took about fifty reads.
    if (auto length = parser_->content_length(); length && *length <= pre_.body_limit) {
        buffer_.reserve(buffer_.size() + static_cast<std::size_t>(std::min<std::uint64_t>(*length, 256 * 1024)));
        // The JSON parser reads up to 64 bytes past the end (SIMDJSON_PADDING): with that room
        // reserved now, the webhook body is not copied into a larger string before parsing.
        parser_->get().body().reserve(static_cast<std::size_t>(*length) + 64);
    }
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return self->refuse(ec);
        self->on_read();
    });
}

void http_session::refuse(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::connection_reset || ec == net::error::eof)
        return do_close();
    if (ec == http::error::body_limit)
        return answer_and_close(json_error(413, "payload_too_large", "the body exceeds " + std::to_string(pre_.body_limit) + " bytes"));
    if (ec == http::error::header_limit)
        return answer_and_close(json_error(431, "header_too_large",
                                           "the request line and headers exceed " + std::to_string(limits_.header_bytes) + " bytes"));
    answer_and_close(json_error(400, "bad_request", "malformed HTTP request: " + ec.message()));
}

// Answers without reading (more of) the request, then closes: what follows on the
// connection may be the rest of a body.
void http_session::answer_and_close(api_response response) {
    services_->counters->count_request(pre_.label, response.status);
    send(std::move(response), false, false);
}

void http_session::on_read() {
    auto request = parser_->release();
    if (beast::websocket::is_upgrade(request)) {
        if (pre_.found && pre_.found->pattern == "/ws" && services_->hub) return upgrade(std::move(request));
        return answer_and_close(json_error(404, "not_found", "the live stream is at /ws"));
    }
    bool keep_alive = request.keep_alive();
    bool head = request.method() == http::verb::head;
    head_.body = std::move(request.body());
    services_->router->dispatch(std::move(pre_), std::move(head_), [self = shared_from_this(), keep_alive, head](api_response response) {
        net::post(self->stream_.get_executor(), [self, keep_alive, head, response = std::move(response)]() mutable {
            self->send(std::move(response), keep_alive, head);
        });
    });
}

void http_session::upgrade(http::request<http::string_body>&& request) {
    const auto& allowed = services_->allowed_origins;
    std::string origin(request[http::field::origin]);
    if (!origin.empty() && !allowed.empty() && std::find(allowed.begin(), allowed.end(), origin) == allowed.end())
        return answer_and_close(json_error(403, "origin_not_allowed", "this origin may not open the live stream"));
    std::optional<subscription> initial;
    if (pre_.target.query.count("contest")) {
        auto parsed = parse_subscription(pre_.target.query);
        if (auto* error = std::get_if<std::string>(&parsed)) return answer_and_close(json_error(400, "bad_query", *error));
        initial = std::get<subscription>(parsed);
    }
    services_->counters->count_request(pre_.label, 101);
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
    net::post(*services_->live_io, [services = services_, place = place_, moved = std::move(moved), request = std::move(request),
                                     initial = std::move(initial)]() mutable {
        std::make_shared<websocket_session>(std::move(moved), services->hub, services->live, *services->counters, std::move(place))
            ->run(std::move(request), std::move(initial));
    });
}

void http_session::send(api_response response, bool keep_alive, bool head) {
    response_ = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(response.status), version_);
    response_->set(http::field::server, "leaderboard");
    response_->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) response_->insert(name, value);  // two Set-Cookie may go out
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
