#pragma once
// Drives a hiredis async context from an Asio executor, shaped like hiredis'
// own adapters/*.h: attach() plus the add/del read/write and cleanup hooks.
// Asio waits on a dup() of hiredis' socket, so it never closes hiredis' fd.
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

struct redisAsyncContext;

namespace lb::gateway {

using redis_strand = boost::asio::strand<boost::asio::io_context::executor_type>;

class redis_asio_adapter : public std::enable_shared_from_this<redis_asio_adapter> {
public:
    // Returns false (and attaches nothing) when the context already has an
    // adapter or its socket cannot be duplicated.
    static bool attach(redisAsyncContext* context, redis_strand strand);
    // redisAsyncConnect, attached to the strand, with `data` as the context's data; nullptr (and
    // nothing left open) when hiredis or the attach refuses.
    static redisAsyncContext* connect(const std::string& host, int port, redis_strand strand, void* data);

    redis_asio_adapter(redisAsyncContext* context, redis_strand strand, int fd);

private:
    static void add_read(void* self);
    static void del_read(void* self);
    static void add_write(void* self);
    static void del_write(void* self);
    static void cleanup(void* self);

    void wait_read();
    void wait_write();

    redisAsyncContext* context_;
    boost::asio::posix::stream_descriptor socket_;
    bool want_read_ = false;
    bool want_write_ = false;
    bool read_waiting_ = false;
    bool write_waiting_ = false;
    std::shared_ptr<redis_asio_adapter> keep_alive_;  // released by cleanup()
};

}  // namespace lb::gateway
