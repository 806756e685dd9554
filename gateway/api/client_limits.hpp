#pragma once
// Fair limits per client: a token bucket per client address for the public writes (sign-ups,
// submissions, sign-in starts) and another for failed credentials, so one client flooding either
// gets 429s while nobody else notices. Reads are never limited here (a classroom behind one NAT
// reads the board; nginx may cap reads). Pure but for a mutex: the time is passed in.
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lb::gateway {

struct rate_rule {
    double per_minute = 20;  // tokens added back per minute
    double burst = 20;       // the bucket's size: what a client may do at once
};

struct client_limit_settings {
    rate_rule public_writes{30, 60};
    rate_rule failed_credentials{10, 10};
    std::size_t clients_kept = 100000;         // buckets held at most (full ones go first)
};

// Who the client is: the socket's peer, or, when the peer is a trusted proxy, the first hop of
// X-Forwarded-For (read from the right) that is not one. A hop that is not an IP address ends
// the walk at the last trusted one: what a client wrote there never becomes its identity.
std::string client_address(std::string_view peer, std::string_view forwarded_for, const std::vector<std::string>& trusted);

class client_limits {
public:
    enum class bucket { public_writes, failed_credentials };

    explicit client_limits(client_limit_settings settings) : settings_(std::move(settings)) {}

    // Takes a token: nullopt when the client may go on, else the seconds until it may (>= 1).
    std::optional<long long> take(bucket which, const std::string& client, double now);
    // Whether a token is there, without taking it (a credential is checked only then).
    std::optional<long long> peek(bucket which, const std::string& client, double now);

    // New rules (a config reload): every client keeps what it has used, within the new burst.
    void reconfigure(client_limit_settings next);
    std::size_t clients() const;

private:
    struct state {
        double tokens = 0;
        double at = 0;
    };
    const rate_rule& rule(bucket which) const;
    state& refill(bucket which, const std::string& client, double now);
    std::optional<long long> use(bucket which, const std::string& client, double now, bool take);
    void make_room(double now);

    client_limit_settings settings_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, state> buckets_;  // "<bucket>|<client>"
};

}  // namespace lb::gateway
