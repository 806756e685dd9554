#include "net/listener.hpp"

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
    // A strand per connection only matters when several threads run the io_context; on one
    // thread it is pure overhead on every handler (a fan-out frame is 5,000 of them).
    auto executor = services_->one_thread ? net::any_io_executor(io_.get_executor()) : net::any_io_executor(net::make_strand(io_));
    acceptor_.async_accept(executor, [self = shared_from_this()](boost::system::error_code ec,
                                                                              net::ip::tcp::socket socket) {
        if (ec == net::error::operation_aborted) return;
        if (!ec) std::make_shared<http_session>(std::move(socket), self->services_)->run();
        else std::cerr << "accept: " << ec.message() << "\n";  // e.g. out of descriptors: keep accepting
        self->do_accept();
    });
}

}  // namespace lb::gateway
