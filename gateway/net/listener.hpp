#pragma once
// Accepts connections and starts an http_session on its own strand for each, up to
// the connection cap; past it a connection gets a short 503 and is closed. When the
// process runs out of descriptors, accepting pauses briefly instead of spinning.
#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/http_session.hpp"

namespace lb::gateway {

class listener : public std::enable_shared_from_this<listener> {
public:
    // Throws boost::system::system_error when the address cannot be bound.
    listener(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint endpoint,
             std::shared_ptr<const session_services> services);
    void run();
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    void stop();

private:
    void do_accept();
    void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
    void refuse_over_capacity(boost::asio::ip::tcp::socket& socket);

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer backoff_;
    std::shared_ptr<const session_services> services_;
};

}  // namespace lb::gateway
