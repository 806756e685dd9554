#include "redis/redis_asio_adapter.hpp"

#include <unistd.h>

#include <hiredis/async.h>

namespace lb::gateway {

bool redis_asio_adapter::attach(redisAsyncContext* context, redis_strand strand) {
    if (context->ev.data != nullptr) return false;
    int fd = ::dup(context->c.fd);
    if (fd < 0) return false;
    auto adapter = std::make_shared<redis_asio_adapter>(context, strand, fd);
    adapter->keep_alive_ = adapter;
    context->ev.data = adapter.get();
    context->ev.addRead = &add_read;
    context->ev.delRead = &del_read;
    context->ev.addWrite = &add_write;
    context->ev.delWrite = &del_write;
    context->ev.cleanup = &cleanup;
    return true;
}

redisAsyncContext* redis_asio_adapter::connect(const std::string& host, int port, redis_strand strand, void* data) {
    redisAsyncContext* context = redisAsyncConnect(host.c_str(), port);
    if (!context || context->err || !attach(context, strand)) {
        if (context) redisAsyncFree(context);
        return nullptr;
    }
    context->data = data;
    return context;
}

redis_asio_adapter::redis_asio_adapter(redisAsyncContext* context, redis_strand strand, int fd)
    : context_(context), socket_(strand, fd) {}

void redis_asio_adapter::add_read(void* self) {
    auto* adapter = static_cast<redis_asio_adapter*>(self);
    adapter->want_read_ = true;
    adapter->wait_read();
}

void redis_asio_adapter::del_read(void* self) { static_cast<redis_asio_adapter*>(self)->want_read_ = false; }

void redis_asio_adapter::add_write(void* self) {
    auto* adapter = static_cast<redis_asio_adapter*>(self);
    adapter->want_write_ = true;
    adapter->wait_write();
}

void redis_asio_adapter::del_write(void* self) { static_cast<redis_asio_adapter*>(self)->want_write_ = false; }

void redis_asio_adapter::cleanup(void* self) {
    auto* adapter = static_cast<redis_asio_adapter*>(self);
    adapter->want_read_ = adapter->want_write_ = false;
    adapter->context_ = nullptr;
    boost::system::error_code ignored;
    adapter->socket_.close(ignored);  // our dup() only; hiredis closes its own fd
    adapter->keep_alive_.reset();     // pending waits still hold a reference
}

void redis_asio_adapter::wait_read() {
    if (read_waiting_ || !context_) return;
    read_waiting_ = true;
    socket_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                       [self = shared_from_this()](boost::system::error_code ec) {
                           self->read_waiting_ = false;
                           if (ec || !self->context_ || !self->want_read_) return;
                           redisAsyncHandleRead(self->context_);
                           if (self->context_ && self->want_read_) self->wait_read();
                       });
}

void redis_asio_adapter::wait_write() {
    if (write_waiting_ || !context_) return;
    write_waiting_ = true;
    socket_.async_wait(boost::asio::posix::stream_descriptor::wait_write,
                       [self = shared_from_this()](boost::system::error_code ec) {
                           self->write_waiting_ = false;
                           if (ec || !self->context_ || !self->want_write_) return;
                           redisAsyncHandleWrite(self->context_);
                           if (self->context_ && self->want_write_) self->wait_write();
                       });
}

}  // namespace lb::gateway
