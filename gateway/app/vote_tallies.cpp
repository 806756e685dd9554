#include "app/vote_tallies.hpp"

#include <iostream>

#include "clock.hpp"
#include "common/error_boundary.hpp"
#include "vote_store.hpp"

namespace lb::gateway {

vote_tallies::vote_tallies(boost::asio::io_context& io, const engine::config_slot& configs, std::shared_ptr<redis_link> redis)
    : timer_(io), configs_(configs), redis_(std::move(redis)) {}

void vote_tallies::start() { wait(); }

void vote_tallies::wait() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (ec) return;
        if (self->running_ == 0 && self->redis_->ready()) shielded("a vote tally", [&] { self->pass(); });
        self->wait();
    });
}

void vote_tallies::pass() {
    auto now = engine::now_seconds();
    for (const auto& c : configs_.current().contests)
        for (const auto& rule : c.components) {
            if (!rule.vote || !engine::tallies_visible(*rule.vote, now)) continue;
            ++running_;
            engine::tally_vote(*redis_, c, rule, now, [self = shared_from_this(), &c, &rule](int, std::string error) {
                --self->running_;
                if (!error.empty()) std::cerr << "vote tally of " << c.id << "/" << rule.id << ": " << error << "\n";
            });
        }
}

}  // namespace lb::gateway
