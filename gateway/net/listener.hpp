#pragma once
// Accepts connections and starts an http_session on its own strand for each.
#include <memory>

#include <boost/asio/ip/tcp.hpp>

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

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::shared_ptr<const session_services> services_;
};

}  // namespace lb::gateway
