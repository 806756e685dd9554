#include "listener.hpp"

#include <iostream>

#include <boost/asio/strand.hpp>

namespace lb::gateway {

namespace net = boost::asio;

listener::listener(net::io_context& io, net::ip::tcp::endpoint endpoint, std::shared_ptr<const session_services> services)
    : io_(io), acceptor_(net::make_strand(io)), services_(std::move(services)) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
}

void listener::run() { do_accept(); }

void listener::stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
    });
}

void listener::do_accept() {
    acceptor_.async_accept(net::make_strand(io_), [self = shared_from_this()](boost::system::error_code ec,
                                                                              net::ip::tcp::socket socket) {
        if (ec == net::error::operation_aborted) return;
        if (!ec) std::make_shared<http_session>(std::move(socket), self->services_)->run();
        else std::cerr << "accept: " << ec.message() << "\n";  // e.g. out of descriptors: keep accepting
        self->do_accept();
    });
}

}  // namespace lb::gateway
