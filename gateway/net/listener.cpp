#include "net/listener.hpp"

#include <iostream>

#include <boost/asio/strand.hpp>

namespace lb::gateway {

namespace net = boost::asio;

listener::listener(net::io_context& io, net::ip::tcp::endpoint endpoint, std::shared_ptr<const session_services> services)
    : io_(io), acceptor_(net::make_strand(io)), backoff_(acceptor_.get_executor()), services_(std::move(services)) {
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
        self->backoff_.cancel();
    });
}

void listener::do_accept() {
    // A strand per connection only matters when several threads run the io_context; on one
    // thread it is pure overhead on every handler (a fan-out frame is 5,000 of them).
    auto executor = services_->one_thread ? net::any_io_executor(io_.get_executor()) : net::any_io_executor(net::make_strand(io_));
    acceptor_.async_accept(executor, [self = shared_from_this()](boost::system::error_code ec, net::ip::tcp::socket socket) {
        self->on_accept(ec, std::move(socket));
    });
}

void listener::on_accept(boost::system::error_code ec, net::ip::tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (ec == net::error::no_descriptors || ec.value() == ENFILE || ec == net::error::no_buffer_space || ec == net::error::no_memory) {
        // The pending connection stays in the backlog; retrying at once would spin on the same error.
        std::cerr << "accept: " << ec.message() << "; pausing 100 ms\n";
        backoff_.expires_after(std::chrono::milliseconds(100));
        return backoff_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
            if (!wait_ec) self->do_accept();
        });
    }
    if (ec) {
        std::cerr << "accept: " << ec.message() << "\n";
    } else if (auto place = services_->connections->take()) {
        std::make_shared<http_session>(std::move(socket), services_, std::move(place))->run();
    } else {
        refuse_over_capacity(socket);
    }
    do_accept();
}

// A fresh socket's send buffer is empty: one non-blocking write of a short answer goes out whole.
void listener::refuse_over_capacity(net::ip::tcp::socket& socket) {
    static const std::string answer =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\nRetry-After: 5\r\n"
        "Content-Length: 83\r\n\r\n{\"error\":\"too_many_connections\",\"message\":\"the server is at its connection limit\"}\n";
    boost::system::error_code ignored;
    socket.non_blocking(true, ignored);
    socket.write_some(net::buffer(answer), ignored);
    socket.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    services_->counters->count_request("over_capacity", 503);
}

}  // namespace lb::gateway
