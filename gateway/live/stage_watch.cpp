#include "live/stage_watch.hpp"

#include <boost/asio/post.hpp>

#include "common/error_boundary.hpp"
#include "store_keys.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

std::string reveal_frame(const engine::reveal_state& state) {
    return engine::to_text({{"type", "reveal"}, {"reveal", state.to_json()}});
}

stage_watch::stage_watch(boost::asio::io_context& io, engine::redis_executor& redis, watched_fn watched, broadcast_fn broadcast,
                         std::chrono::milliseconds interval)
    : redis_(redis), watched_(std::move(watched)), broadcast_(std::move(broadcast)), interval_(interval), timer_(io) {}

void stage_watch::start() { schedule(); }

void stage_watch::stop() {
    boost::asio::post(timer_.get_executor(), [self = shared_from_this()] {
        self->stopped_ = true;
        self->timer_.cancel();
    });
}

void stage_watch::schedule() {
    if (stopped_) return;
    timer_.expires_after(interval_);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (ec || self->stopped_) return;
        if (!shielded("the stage watch", [&] { self->poll(); })) self->schedule();
    });
}

void stage_watch::poll() {
    std::vector<std::string> contests;
    for (const auto& id : watched_()) contests.push_back(id);
    if (contests.empty()) return schedule();
    std::vector<engine::redis_command> commands;
    for (const auto& id : contests) commands.push_back({{"HMGET", engine::keys::reveal(id), "rev", "value"}});
    redis_.execute(std::move(commands), [self = shared_from_this(), contests](std::vector<engine::redis_value> replies) {
        boost::asio::post(self->timer_.get_executor(), [self, contests, replies = std::move(replies)] {
            shielded("the stage watch sending a step", [&] {
                for (std::size_t i = 0; i < contests.size() && i < replies.size(); ++i) {
                    const auto& reply = replies[i];
                    if (reply.is_error() || reply.elements.size() != 2) continue;
                    bool none = reply.elements[1].is_nil();  // no reveal yet: revision 0
                    long long rev = none ? 0 : std::strtoll(reply.elements[0].text.c_str(), nullptr, 10);
                    auto [seen, first] = self->seen_.try_emplace(contests[i], rev);
                    // A viewer's snapshot comes with the reveal as it is: only later steps are sent.
                    if (first || none || rev == seen->second) continue;
                    seen->second = rev;
                    auto state = engine::reveal_state::from_json(nlohmann::json::parse(reply.elements[1].text, nullptr, false));
                    state.rev = rev;
                    self->broadcast_(contests[i], std::make_shared<const std::string>(reveal_frame(state)));
                }
            });
            self->schedule();
        });
    });
}

}  // namespace lb::gateway
