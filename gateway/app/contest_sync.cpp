#include "app/contest_sync.hpp"

#include <charconv>
#include <iostream>

#include "common/error_boundary.hpp"
#include "clock.hpp"
#include "roster_store.hpp"
#include "store_keys.hpp"

namespace lb::gateway {

contest_sync::contest_sync(boost::asio::io_context& io, const engine::config_slot& config, engine::redis_executor& redis)
    : timer_(io), config_(config), redis_(redis), store_(redis) {}

void contest_sync::start() { poll(); }

void contest_sync::stop() {
    stopped_ = true;
    timer_.cancel();
}

void contest_sync::forget_revisions() {
    std::lock_guard lock(mutex_);
    revisions_.clear();
}

void contest_sync::schedule() {
    if (stopped_) return;
    timer_.expires_after(std::chrono::milliseconds(500));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec) self->poll();
    });
}

void contest_sync::apply_freeze(const engine::contest& c, const engine::redis_value& frozen_now, const engine::redis_value& unfrozen) {
    if (unfrozen.integer == 1) return c.set_freeze(engine::freeze_mode::unfrozen, 0);
    if (frozen_now.is_nil() || frozen_now.is_error()) return c.set_freeze(engine::freeze_mode::by_schedule, 0);
    long long since = 0;
    std::from_chars(frozen_now.text.data(), frozen_now.text.data() + frozen_now.text.size(), since);
    c.set_freeze(engine::freeze_mode::frozen, since);
}

void contest_sync::poll() {
    std::vector<engine::redis_command> commands{engine::moves_revision_command()};
    for (const auto& c : config_.current().contests) {
        commands.push_back(engine::roster_revision_command(c));
        commands.push_back({{"GET", engine::keys::manual_freeze(c.id)}});
        commands.push_back({{"EXISTS", engine::keys::unfrozen(c.id)}});
        commands.push_back({{"EXISTS", engine::keys::final_state(c.id)}});
    }
    redis_.execute(std::move(commands), [self = shared_from_this()](std::vector<engine::redis_value> replies) {
        // Whatever one poll runs into, the next one comes.
        shielded("the roster and freeze sync", [&] { self->apply_poll(replies); });
        self->schedule();
    });
}

void contest_sync::apply_poll(const std::vector<engine::redis_value>& replies) {
    // A member moved chapters: every contest's roster is read again (with the movers' moves).
    const auto& moves = replies.at(0);
    if (!moves.is_error()) {
        std::lock_guard lock(mutex_);
        std::string seen = moves.is_nil() ? "" : moves.text;
        if (seen != moves_seen_) revisions_.clear(), moves_seen_ = seen;
    }
    std::size_t i = 1;
    for (const auto& c : config_.current().contests) {
        const auto& revision = replies.at(i);
        bool ok = !revision.is_error() && !replies[i + 1].is_error() && !replies[i + 2].is_error() && !replies[i + 3].is_error();
        if (ok) apply_freeze(c, replies[i + 1], replies[i + 2]);
        if (ok) c.set_final(replies[i + 3].integer == 1);
        std::string seen = revision.is_nil() ? "" : revision.text;
        bool changed = false;
        {
            std::lock_guard lock(mutex_);
            auto it = revisions_.find(c.id);  // the first poll always loads
            changed = it == revisions_.end() || seen != it->second;
        }
        if (ok && changed) load(c, [](std::string) {});
        i += 4;
    }
}

void contest_sync::refresh(const engine::contest& c, std::function<void(std::string)> done) {
    redis_.execute({{{"GET", engine::keys::manual_freeze(c.id)}}, {{"EXISTS", engine::keys::unfrozen(c.id)}},
                    {{"EXISTS", engine::keys::final_state(c.id)}}},
                   [self = shared_from_this(), &c, done = std::move(done)](std::vector<engine::redis_value> replies) mutable {
                       if (replies.at(0).is_error()) return done(replies[0].text);
                       self->apply_freeze(c, replies[0], replies[1]);
                       if (!replies.at(2).is_error()) c.set_final(replies[2].integer == 1);
                       self->load(c, std::move(done));
                   });
}

void contest_sync::load(const engine::contest& c, std::function<void(std::string)> done) {
    engine::load_roster(redis_, c, [self = shared_from_this(), &c, done = std::move(done)](auto next, std::string revision, std::string error) {
        if (!next) return done(error);
        c.publish_roster(std::move(*next), engine::now_seconds());
        {
            std::lock_guard lock(self->mutex_);
            self->revisions_[c.id] = revision;
        }
        // Someone registered may have merged PRs before this process knew them.
        self->store_.attribute_unregistered(c, [&c](int moved, std::string error) {
            if (!error.empty()) std::cerr << c.id << ": attributing kept awards failed: " << error << "\n";
            else if (moved > 0) std::cerr << c.id << ": " << moved << " kept award(s) now count for registered participants\n";
        });
        done("");
    });
}

}  // namespace lb::gateway
