#pragma once
// What the engine needs from a Redis connection, without saying how it is
// reached: the blocking client (CLI, tests) and the Asio client (server) both
// implement redis_executor, so every store operation is written once.
#include <functional>
#include <string>
#include <vector>

#include "durability.hpp"

namespace lb::engine {

// An owned copy of a hiredis reply.
struct redis_value {
    enum class type { nil, integer, string, status, error, array };
    type kind = type::nil;
    long long integer = 0;
    std::string text;  // string, status and error replies
    std::vector<redis_value> elements;

    bool is_error() const { return kind == type::error; }
    bool is_nil() const { return kind == type::nil; }
    static redis_value error(std::string message) { return {type::error, 0, std::move(message), {}}; }
};

class lua_script;

// One command. When script is set, argv holds what follows EVALSHA <sha>
// (numkeys, keys, args) and the executor falls back to EVAL on NOSCRIPT.
struct redis_command {
    std::vector<std::string> argv;
    const lua_script* script = nullptr;
};

using redis_batch_handler = std::function<void(std::vector<redis_value>)>;

class redis_executor {
public:
    virtual ~redis_executor() = default;
    // Sends the commands pipelined; the handler gets one reply per command, in
    // order. On a connection failure every reply is an error value. The
    // handler may run before execute returns (blocking client) or later.
    virtual void execute(std::vector<redis_command> commands, redis_batch_handler handler) = 0;

    // Which connection commands go out on now. Read it before a series of writes and pass it to
    // wait_for_replicas: had the connection been made again meanwhile, a WAIT on the new one
    // would vouch for writes it never carried.
    virtual unsigned long long connection_epoch() const { return 0; }

    // done(true) once at least `replicas` replicas hold every write sent so far on connection
    // `epoch` (Redis' WAIT); done(false) when they do not within timeout_ms, or the connection is
    // no longer that one.
    virtual void wait_for_replicas(unsigned long long epoch, int replicas, int timeout_ms, std::function<void(bool)> done) {
        if (epoch != connection_epoch()) return done(false);
        execute({{{"WAIT", std::to_string(replicas), std::to_string(timeout_ms)}}},
                [replicas, done = std::move(done)](std::vector<redis_value> replies) {
                    const auto& r = replies.at(0);
                    done(r.kind == redis_value::type::integer && r.integer >= replicas);
                });
    }

    // Redis's persistence settings as read when the connection was set up (unknown before, and for
    // executors that do not read them).
    virtual redis_persistence persistence() const { return {}; }

    // done(true) once Redis has written to its AOF file every write sent so far on connection
    // `epoch` (so a Redis crash keeps them); done(false) when it has not within timeout_ms, the AOF
    // is off, or the connection is no longer that one. Executors that cannot tell answer false.
    virtual void wait_until_written(unsigned long long, int, std::function<void(bool)> done) { done(false); }
};

}  // namespace lb::engine
