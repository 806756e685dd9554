#pragma once
// One HTTP connection: reads a request's headers, lets the api_router decide on
// them (a refused request is answered before its body is read), reads the body
// within the route's limit, lets the router answer, writes the answer, and reads
// the next (pipelined requests wait in the buffer).
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "api/api_router.hpp"
#include "live/live_hub.hpp"
#include "net/connection_limit.hpp"
#include "net/websocket_session.hpp"

namespace lb::gateway {

struct http_limits {
    std::size_t header_bytes = 16 << 10;  // request line and headers together
    std::chrono::seconds read_timeout{30};
};

// What every connection may need; shared by all sessions.
struct session_services {
    std::shared_ptr<api_router> router;
    std::shared_ptr<live_hub> hub;  // null when this process does not serve /ws
    boost::asio::io_context* live_io = nullptr;  // where the hub and WebSocket sessions run (one thread)
    http_limits limits;
    websocket_limits live;
    std::vector<std::string> allowed_origins;
    metrics* counters = nullptr;
    std::shared_ptr<connection_limit> connections;
    bool one_thread = true;  // the io_context runs on one thread: sessions need no strand
};

class http_session : public std::enable_shared_from_this<http_session> {
public:
    http_session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<const session_services> services,
                 connection_limit::place place);
    void run();

private:
    void do_read();
    void on_header(boost::beast::error_code ec);
    void on_read();
    void upgrade(boost::beast::http::request<boost::beast::http::string_body>&& request);
    void refuse(boost::beast::error_code ec);
    void answer_and_close(api_response response);
    void send(api_response response, bool keep_alive, bool head);
    void on_write(boost::beast::error_code ec, bool close);
    void do_close();
    void do_drain();
    static constexpr std::size_t max_drain_bytes = 64u << 20;

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::shared_ptr<boost::beast::http::response<boost::beast::http::string_body>> response_;
    std::shared_ptr<const session_services> services_;
    connection_limit::place place_;
    const http_limits& limits_;
    api_request head_;       // the request being read, without its body
    std::string peer_;       // the socket's remote address, for the limits per client
    preflight_result pre_;   // what the router decided on its headers
    unsigned version_ = 11;
    std::size_t drained_ = 0;
};

}  // namespace lb::gateway
