#include "live/live_hub.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include <boost/asio/post.hpp>

#include "common/error_boundary.hpp"
#include "live/me_rows.hpp"
#include "crypto.hpp"
#include "standings.hpp"
#include "store_keys.hpp"
#include "untrusted_json.hpp"
#include "clock.hpp"

namespace lb::gateway {

using nlohmann::json;

live_hub::live_hub(boost::asio::io_context& io, const engine::config_slot& config, engine::redis_executor& redis,
                   std::string admin_token, hub_settings settings)
    : io_(io), config_(config), redis_(redis), admin_token_(std::move(admin_token)), settings_(settings), timer_(io),
      slots_(std::chrono::steady_clock::now(), settings.tick, settings.frame_interval),
      groups_(settings.phase_after, slots_.phases()),
      feed_(std::make_shared<award_feed>(config, redis, settings.recent_events)) {}

void live_hub::start() {
    std::weak_ptr<live_hub> weak = shared_from_this();
    stage_ = std::make_shared<stage_watch>(
        io_, redis_, [weak] { auto self = weak.lock(); return self ? self->watched_contests() : std::set<std::string>{}; },
        [weak](const std::string& contest_id, std::shared_ptr<const std::string> frame) {
            if (auto self = weak.lock()) self->broadcast(contest_id, frame);
        });
    stage_->start();
    schedule();
}

void live_hub::stop() {
    if (stage_) stage_->stop();
    boost::asio::post(io_, [self = shared_from_this()] {
        self->stopped_ = true;
        self->timer_.cancel();
    });
}

std::set<std::string> live_hub::watched_contests() const { return groups_.contests(); }

void live_hub::broadcast(const std::string& contest_id, const shared_frame& frame) {
    for (const auto& client : groups_.clients_of(contest_id)) client->deliver(frame, false);
}

std::size_t live_hub::viewers() const { return groups_.viewers(); }

void live_hub::schedule() {
    busy_ = false;
    if (stopped_) return;
    // Ticks fall on the phases' slot grid, so a due slot is noticed when it starts, not up to a tick later.
    timer_.expires_at(slots_.tick_at_or_after(std::chrono::steady_clock::now()));
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (ec || self->stopped_) return;
        // Whatever one tick runs into, the next one comes.
        if (!shielded("the live hub's tick", [&] { self->tick(); })) self->schedule();
    });
}

void live_hub::tick() {
    busy_ = true;
    feed_->read(watched_contests(), [self = shared_from_this()](fresh_events fresh) {
        if (!shielded("the live hub refreshing groups", [&] { self->refresh_groups(fresh); })) self->schedule();
    });
}

void live_hub::refresh_groups(const fresh_events& fresh) {
    std::vector<std::pair<group_key, json>> work;
    std::vector<std::pair<group_key, std::vector<member>>> me_work;
    std::vector<group_key> reload;
    auto now = engine::now_seconds();
    auto clock = std::chrono::steady_clock::now();
    groups_.with([&](viewer_groups::map& groups) {
        for (auto& [key, g] : groups) {
            if (!g.loaded) continue;
            auto it = fresh.find(key.contest);
            bool rebuilt = false;
            if (it != fresh.end())
                for (const auto& [boards, event, marker] : it->second) {
                    if (std::find(boards.begin(), boards.end(), key.board) == boards.end()) continue;
                    if (marker) rebuilt = true;
                    else g.pending_events.push_back(event);
                }
            if (rebuilt) {
                // A recompute swapped this board in whole: every viewer gets a fresh snapshot.
                g.loaded = false;
                g.loading = true;
                g.pending_events = json::array();
                g.waiting.insert(g.waiting.end(), g.members.begin(), g.members.end());
                g.members.clear();
                reload.push_back(key);
                continue;
            }
            // After a config reload the contest is a new object (the old one stays valid, unsynced).
            if (const auto* latest = config_.current().find_contest(key.contest)) g.c = latest;
            bool freeze_flip = !key.admin && g.c->public_frozen(now) != g.freeze_seen;
            if ((!g.pending_events.empty() || freeze_flip) && clock >= g.next_slot) {
                // Kept to the phase's slot grid, at most one frame per slot.
                g.next_slot = slots_.next_after(key.phase, clock);
                work.emplace_back(key, std::exchange(g.pending_events, json::array()));
            } else if (g.me_pending && clock - g.last_me >= settings_.me_refresh) {
                g.me_pending = false;
                g.last_me = clock;
                me_work.emplace_back(key, g.members);
            }
        }
    });
    for (auto& [key, members] : me_work) refresh_me(key, std::move(members));
    for (const auto& key : reload) read_group(key);
    if (work.empty()) return schedule();
    auto remaining = std::make_shared<std::size_t>(work.size());
    for (auto& [key, events] : work)
        refresh_group(key, std::move(events), [self = shared_from_this(), remaining] {
            if (--*remaining == 0) self->schedule();
        });
}

void live_hub::refresh_group(const group_key& key, json events, std::function<void()> done) {
    const engine::contest* c = config_.current().find_contest(key.contest);
    read_board(key, *c, [self = shared_from_this(), key, c, events = std::move(events), done](auto page, std::string) {
        if (page) shielded("the live hub building a group's frame", [&] { self->send_update(key, *c, *page, events); });
        else self->groups_.with([&](viewer_groups::map& groups) {
            // Tried again at the next tick, with the events it would have shown.
            auto it = groups.find(key);
            if (it == groups.end()) return;
            json retried = events;
            for (const auto& e : it->second.pending_events) retried.push_back(e);
            it->second.pending_events = std::move(retried);
        });
        done();
    });
}

void live_hub::read_board(const group_key& key, const engine::contest& c, engine::standings_handler done) {
    engine::standings_query query{key.board, 0, key.limit, !key.admin};
    if (!settings_.replica_reads) return engine::read_standings(redis_, c, query, engine::now_seconds(), std::move(done));
    // The log's tail is read before the board on the same connection: a replica applies writes in
    // order, so a tail at or past what viewers were sent means the board is at least that new.
    auto seen = feed_->log_position(key.contest);
    auto epoch = redis_.connection_epoch();
    redis_.execute({{{"XREVRANGE", engine::keys::log(key.contest), "+", "-", "COUNT", "1"}}},
                   [self = shared_from_this(), &c, query, seen, epoch, done = std::move(done)](std::vector<engine::redis_value> replies) mutable {
        const auto& tail = replies.at(0);
        if (tail.is_error()) return done(std::nullopt, tail.text);
        std::string last = tail.elements.empty() || tail.elements[0].elements.empty() ? "0-0" : tail.elements[0].elements[0].text;
        if (log_id_before(last, seen)) return done(std::nullopt, "the replica is behind what viewers were sent");
        engine::read_standings(self->redis_, c, query, engine::now_seconds(),
                               [self, epoch, done = std::move(done)](auto page, std::string error) {
            if (self->redis_.connection_epoch() != epoch) return done(std::nullopt, "the connection moved to another node");
            done(std::move(page), std::move(error));
        });
    });
}

// One group's frame from a fresh read of its board: the rows that moved and the events behind them.
void live_hub::send_update(const group_key& key, const engine::contest& c, const engine::standings_page& page, const json& events) {
    shared_frame frame;
    std::vector<member> members;
    bool me_due = false;
    bool sent = groups_.with([&](viewer_groups::map& groups) {
        auto it = groups.find(key);
        if (it == groups.end()) return false;
        auto& g = it->second;
        auto diff = diff_rows(g.rows, page.rows);
        bool visible_events = !(page.frozen && !key.admin) && !events.empty() && key.events > 0;
        bool changed = !diff.empty() || visible_events || page.frozen != g.frozen || page.total != g.total;
        bool reveal = g.frozen && !page.frozen && !key.admin;
        g.rows = page.rows;
        g.total = page.total;
        g.frozen = page.frozen;
        g.freeze_seen = c.public_frozen(page.generated_at);
        if (!changed) return false;
        ++g.seq;
        frame = std::make_shared<const std::string>(
            update_frame(c, key.board, g.seq, diff, g.total, g.frozen, visible_events ? events : json::array(), reveal,
                         static_cast<std::size_t>(key.events)));
        members = g.members;
        auto now = std::chrono::steady_clock::now();
        me_due = now - g.last_me >= settings_.me_refresh;
        if (me_due) g.last_me = now;
        g.me_pending = !me_due;  // a later tick sends it, at most once a second
        return true;
    });
    if (!sent) return;
    for (const auto& m : members)
        if (auto client = m.client.lock()) client->deliver(frame, false);
    if (me_due) refresh_me(key, members);
}

void live_hub::refresh_me(const group_key& key, std::vector<member> members) {
    std::vector<std::string> ids;
    for (const auto& m : members)
        if (!m.me.empty() && std::find(ids.begin(), ids.end(), m.me) == ids.end()) ids.push_back(m.me);
    if (ids.empty()) return;
    const engine::contest* c = config_.current().find_contest(key.contest);
    redis_.execute(me_row_commands(*c, key.board, !key.admin, ids),
                   [key, c, ids, members = std::move(members)](std::vector<engine::redis_value> replies) {
        shielded("the live hub sending own rows", [&] {
            auto frames = me_row_frames(*c, key.board, ids, replies);
            for (std::size_t i = 0; i < ids.size(); ++i) {
                auto frame = std::make_shared<const std::string>(std::move(frames[i]));
                for (const auto& m : members)
                    if (m.me == ids[i])
                        if (auto client = m.client.lock()) client->deliver(frame, false);
            }
        });
    });
}

void live_hub::subscribe(const std::shared_ptr<live_client>& client, subscription sub) {
    if (auto error = validate_subscription(config_.current(), sub); !error.empty()) return send_error(client, error);
    bool admin = !sub.admin_token.empty() && engine::constant_time_equals(sub.admin_token, admin_token_) && !admin_token_.empty();
    if (!sub.admin_token.empty() && !admin) return send_error(client, "admin_token: not valid");
    auto joined = groups_.join(client, sub.me, {sub.contest, sub.board, sub.limit, sub.events, admin},
                               config_.current().find_contest(sub.contest));
    if (joined.load) load_group(joined.key);
    if (joined.ready) send_snapshot(joined.key, {client, sub.me});
}

void live_hub::unsubscribe(const live_client* client) { groups_.leave(client); }

void live_hub::load_group(const group_key& key) {
    // The log position is taken before the board is read, so no award falls between the two.
    feed_->start(key.contest, [self = shared_from_this(), key] { self->read_group(key); });
}

void live_hub::read_group(const group_key& key) {
    const engine::contest* c = config_.current().find_contest(key.contest);
    read_board(key, *c, [self = shared_from_this(), key](auto page, std::string error) {
        std::vector<member> waiting;
        bool wanted = self->groups_.with([&](viewer_groups::map& groups) {
            auto found = groups.find(key);
            if (found == groups.end()) return false;
            auto& g = found->second;
            g.loading = false;
            if (g.members.empty() && g.waiting.empty()) {
                groups.erase(found);
                return false;
            }
            waiting.swap(g.waiting);
            if (page) {
                g.rows = page->rows;
                g.total = page->total;
                g.frozen = page->frozen;
                g.freeze_seen = g.c->public_frozen(page->generated_at);
                g.loaded = true;
                g.members.insert(g.members.end(), waiting.begin(), waiting.end());
            }
            return true;
        });
        if (!wanted) return;
        for (const auto& m : waiting) {
            auto client = m.client.lock();
            if (!client) continue;
            if (page) self->send_snapshot(key, m);
            else {
                send_error(client, "the store cannot be reached right now (" + error + "); retrying");
                self->unsubscribe(client.get());
            }
        }
    });
}

void live_hub::send_snapshot(const group_key& key, const member& m) {
    auto client = m.client.lock();
    if (!client) return;
    const engine::contest* c = config_.current().find_contest(key.contest);
    auto frame = groups_.with([&](viewer_groups::map& groups) {
        const auto& g = groups[key];
        engine::standings_page page{key.board, engine::now_seconds(), g.frozen, g.total, g.rows};
        auto events = g.frozen && !key.admin ? json::array() : feed_->recent_for(key.contest, key.board);
        if (events.size() > static_cast<std::size_t>(key.events))
            events.erase(events.begin(), events.end() - static_cast<long>(key.events));
        return std::make_shared<const std::string>(snapshot_frame(*c, key.board, g.seq, page, events, std::nullopt));
    });
    client->deliver(frame, true);
    if (!m.me.empty()) refresh_me(key, {m});
}

void live_hub::send_error(const std::shared_ptr<live_client>& client, const std::string& message) {
    client->deliver(std::make_shared<const std::string>(engine::to_text({{"type", "error"}, {"message", message}})), true);
}

}  // namespace lb::gateway
