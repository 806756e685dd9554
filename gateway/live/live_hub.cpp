#include "live/live_hub.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <utility>

#include <boost/asio/post.hpp>

#include "award.hpp"
#include "api/error_boundary.hpp"
#include "award_store.hpp"
#include "lua_script.hpp"
#include "signatures.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

using nlohmann::json;
using fresh_events = std::map<std::string, std::vector<std::pair<std::vector<std::string>, json>>>;

namespace {

// One award-log entry: the boards it moved and the event as the screen shows it.
std::pair<std::vector<std::string>, json> parse_log_entry(const engine::contest& c, const engine::redis_value& entry) {
    std::string record, previous, boards;
    const auto& fields = entry.elements[1].elements;
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].text == "record") record = fields[i + 1].text;
        else if (fields[i].text == "previous_points") previous = fields[i + 1].text;
        else if (fields[i].text == "boards") boards = fields[i + 1].text;
    }
    std::vector<std::string> touched;
    for (std::size_t start = 0; start < boards.size();) {
        auto comma = boards.find(',', start);
        touched.push_back(boards.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return {touched, screen_event(c, engine::event_to_json(entry.elements.at(0).text, record, previous))};
}

}  // namespace

live_hub::live_hub(boost::asio::io_context& io, const engine::config& config, engine::redis_executor& redis,
                   std::string admin_token, hub_settings settings)
    : io_(io), config_(config), redis_(redis), admin_token_(std::move(admin_token)), settings_(settings), timer_(io),
      slots_(std::chrono::steady_clock::now(), settings.tick, settings.frame_interval) {}

void live_hub::start() { schedule(); }

void live_hub::stop() {
    boost::asio::post(io_, [self = shared_from_this()] {
        self->stopped_ = true;
        self->timer_.cancel();
    });
}

std::size_t live_hub::viewers() const {
    std::lock_guard lock(mutex_);
    return membership_.size();
}

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
    read_feeds([self = shared_from_this()](fresh_events fresh) {
        if (!shielded("the live hub refreshing groups", [&] { self->refresh_groups(fresh); })) self->schedule();
    });
}

void live_hub::read_feeds(std::function<void(fresh_events)> done) {
    std::vector<const engine::contest*> watched;
    std::vector<engine::redis_command> commands;
    {
        std::lock_guard lock(mutex_);
        std::set<std::string> ids;
        for (const auto& [key, g] : groups_) ids.insert(key.contest);
        for (const auto& id : ids) {
            const auto& f = feeds_[id];
            if (!f.started) continue;  // start_feed runs with the group's first read
            watched.push_back(config_.find_contest(id));
            commands.push_back({{"XRANGE", engine::keys::log(id), "(" + f.last_id, "+", "COUNT", "500"}});
        }
    }
    if (commands.empty()) return done({});
    redis_.execute(std::move(commands), [self = shared_from_this(), watched, done = std::move(done)](std::vector<engine::redis_value> replies) {
        fresh_events fresh;
        std::lock_guard lock(self->mutex_);
        for (std::size_t i = 0; i < watched.size(); ++i) {
            if (replies[i].is_error()) continue;
            auto& f = self->feeds_[watched[i]->id];
            std::vector<std::pair<std::vector<std::string>, json>> entries;
            for (const auto& entry : replies[i].elements)
                if (entry.elements.size() == 2)
                    shielded("the live hub reading an award-log entry", [&] { entries.push_back(parse_log_entry(*watched[i], entry)); });
            fresh[watched[i]->id] = entries;
            if (!entries.empty()) f.last_id = entries.back().second["id"].get<std::string>();
            f.recent.insert(f.recent.end(), entries.begin(), entries.end());
            if (f.recent.size() > self->settings_.recent_events)
                f.recent.erase(f.recent.begin(), f.recent.end() - static_cast<long>(self->settings_.recent_events));
        }
        boost::asio::post(self->io_, [done, fresh = std::move(fresh)]() mutable { done(std::move(fresh)); });
    });
}

void live_hub::refresh_groups(const fresh_events& fresh) {
    std::vector<std::pair<group_key, json>> work;
    std::vector<std::pair<group_key, std::vector<member>>> me_work;
    auto now = engine::now_seconds();
    auto clock = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        for (auto& [key, g] : groups_) {
            if (!g.loaded) continue;
            auto it = fresh.find(key.contest);
            if (it != fresh.end())
                for (const auto& [boards, event] : it->second)
                    if (std::find(boards.begin(), boards.end(), key.board) != boards.end()) g.pending_events.push_back(event);
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
    }
    for (auto& [key, members] : me_work) refresh_me(key, std::move(members));
    if (work.empty()) return schedule();
    auto remaining = std::make_shared<std::size_t>(work.size());
    for (auto& [key, events] : work)
        refresh_group(key, std::move(events), [self = shared_from_this(), remaining] {
            if (--*remaining == 0) self->schedule();
        });
}

void live_hub::refresh_group(const group_key& key, json events, std::function<void()> done) {
    const engine::contest* c = config_.find_contest(key.contest);
    engine::standings_query query{key.board, 0, key.limit, !key.admin};
    engine::read_standings(redis_, *c, query, engine::now_seconds(),
                           [self = shared_from_this(), key, c, events = std::move(events), done](auto page, std::string) {
        if (page) shielded("the live hub building a group's frame", [&] { self->send_update(key, *c, *page, events); });
        done();
    });
}

// One group's frame from a fresh read of its board: the rows that moved and the events behind them.
void live_hub::send_update(const group_key& key, const engine::contest& c, const engine::standings_page& page, const json& events) {
    shared_frame frame;
    std::vector<member> members;
    bool me_due = false;
    {
        std::lock_guard lock(mutex_);
        auto it = groups_.find(key);
        if (it == groups_.end()) return;
        auto& g = it->second;
        auto diff = diff_rows(g.rows, page.rows);
        bool visible_events = !(page.frozen && !key.admin) && !events.empty();
        bool changed = !diff.empty() || visible_events || page.frozen != g.frozen || page.total != g.total;
        bool reveal = g.frozen && !page.frozen && !key.admin;
        g.rows = page.rows;
        g.total = page.total;
        g.frozen = page.frozen;
        g.freeze_seen = c.public_frozen(page.generated_at);
        if (!changed) return;
        ++g.seq;
        frame = std::make_shared<const std::string>(
            update_frame(c, key.board, g.seq, diff, g.total, g.frozen, visible_events ? events : json::array(), reveal));
        members = g.members;
        auto now = std::chrono::steady_clock::now();
        me_due = now - g.last_me >= settings_.me_refresh;
        if (me_due) g.last_me = now;
        g.me_pending = !me_due;  // a later tick sends it, at most once a second
    }
    for (const auto& m : members)
        if (auto client = m.client.lock()) client->deliver(frame, false);
    if (me_due) refresh_me(key, members);
}

void live_hub::refresh_me(const group_key& key, std::vector<member> members) {
    std::vector<std::string> ids;
    for (const auto& m : members)
        if (!m.me.empty() && std::find(ids.begin(), ids.end(), m.me) == ids.end()) ids.push_back(m.me);
    if (ids.empty()) return;
    const engine::contest* c = config_.find_contest(key.contest);
    std::vector<engine::redis_command> commands;
    for (const auto& id : ids)
        commands.push_back({{"0", engine::keys::prefix(c->id), engine::board_view(*c, !key.admin, engine::now_seconds()),
                             id, key.board},
                            &engine::read_member_script()});
    redis_.execute(std::move(commands), [self = shared_from_this(), key, c, ids, members = std::move(members)](std::vector<engine::redis_value> replies) {
        shielded("the live hub sending own rows", [&] { self->send_me_rows(key, *c, ids, members, replies); });
    });
}

void live_hub::send_me_rows(const group_key& key, const engine::contest& c, const std::vector<std::string>& ids,
                            const std::vector<member>& members, const std::vector<engine::redis_value>& replies) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
        json row = nullptr;
        const auto& entry = replies[i].elements.empty() ? replies[i] : replies[i].elements[0];
        if (!replies[i].is_error() && entry.elements.size() == 2 && entry.elements[0].integer >= 0) {
            const auto& text = entry.elements[1].text;
            double score = 0;
            std::from_chars(text.data(), text.data() + text.size(), score);
            auto decoded = engine::decode_rank_score(score, c.starts_at);
            row = engine::standings_row_to_json(c, key.board, {entry.elements[0].integer + 1, ids[i], decoded.points, decoded.reached_at});
        }
        auto frame = std::make_shared<const std::string>(me_frame(row));
        for (const auto& m : members)
            if (m.me == ids[i])
                if (auto client = m.client.lock()) client->deliver(frame, false);
    }
}

// Called with the mutex held. Small audiences stay in one phase (one board read per frame);
// past phase_after viewers there, newcomers join the phase with the fewest.
int live_hub::pick_phase(group_key base) const {
    auto size_of = [&](int phase) -> std::size_t {
        base.phase = phase;
        auto it = groups_.find(base);
        return it == groups_.end() ? 0 : it->second.members.size() + it->second.waiting.size();
    };
    std::size_t fewest = size_of(0);
    if (fewest < settings_.phase_after) return 0;
    int chosen = 0;
    for (int phase = 1; phase < slots_.phases(); ++phase)
        if (auto size = size_of(phase); size < fewest) fewest = size, chosen = phase;
    return chosen;
}

void live_hub::subscribe(const std::shared_ptr<live_client>& client, subscription sub) {
    if (auto error = validate_subscription(config_, sub); !error.empty()) return send_error(client, error);
    bool admin = !sub.admin_token.empty() && webhooks::constant_time_equals(sub.admin_token, admin_token_) && !admin_token_.empty();
    if (!sub.admin_token.empty() && !admin) return send_error(client, "admin_token: not valid");
    group_key key{sub.contest, sub.board, sub.limit, admin};
    member m{client, sub.me};
    bool load = false, ready = false;
    {
        std::lock_guard lock(mutex_);
        auto old = membership_.find(client.get());
        auto same_view = [&](group_key other) {
            other.phase = 0;
            return other == key;
        };
        if (old != membership_.end() && same_view(old->second)) {
            key = old->second;  // a resync: same group, same phase, its sequence goes on
            leave_group_members(key, client.get());
        } else {
            key.phase = pick_phase(key);
            if (old != membership_.end()) leave_group(old->second, client.get());
        }
        membership_[client.get()] = key;
        auto& g = groups_[key];
        g.c = config_.find_contest(key.contest);
        if (g.loaded) {
            g.members.push_back(m);
            ready = true;
        } else {
            g.waiting.push_back(m);
            load = !g.loading;
            g.loading = true;
        }
    }
    if (load) load_group(key);
    if (ready) send_snapshot(key, m);
}

void live_hub::unsubscribe(const live_client* client) {
    std::lock_guard lock(mutex_);
    auto it = membership_.find(client);
    if (it == membership_.end()) return;
    auto key = it->second;
    membership_.erase(it);
    leave_group(key, client);
}

// Called with the mutex held. A group nobody watches any more is dropped, so no board
// goes on being read for nobody (one still loading is dropped when its read returns).
void live_hub::leave_group(const group_key& key, const live_client* client) {
    auto g = groups_.find(key);
    if (g == groups_.end()) return;
    leave_group_members(key, client);
    if (g->second.members.empty() && g->second.waiting.empty() && !g->second.loading) groups_.erase(g);
}

void live_hub::leave_group_members(const group_key& key, const live_client* client) {
    auto g = groups_.find(key);
    if (g == groups_.end()) return;
    auto gone = [&](const member& x) { return x.client.expired() || x.client.lock().get() == client; };
    std::erase_if(g->second.members, gone);
    std::erase_if(g->second.waiting, gone);
}

// The contest's award log position is taken before the board is read, so any
// award after it reaches this group as an update, never falls between the two.
void live_hub::start_feed(const std::string& contest_id, std::function<void()> done) {
    {
        std::lock_guard lock(mutex_);
        if (feeds_[contest_id].started) return done();
    }
    redis_.execute({{{"XREVRANGE", engine::keys::log(contest_id), "+", "-", "COUNT", std::to_string(settings_.recent_events)}}},
                   [self = shared_from_this(), contest_id, done = std::move(done)](std::vector<engine::redis_value> replies) {
        {
            std::lock_guard lock(self->mutex_);
            auto& f = self->feeds_[contest_id];
            if (!f.started && !replies.at(0).is_error()) {
                const engine::contest* c = self->config_.find_contest(contest_id);
                for (const auto& entry : replies[0].elements)
                    if (entry.elements.size() == 2) f.recent.insert(f.recent.begin(), parse_log_entry(*c, entry));
                f.last_id = f.recent.empty() ? "0-0" : f.recent.back().second["id"].get<std::string>();
                f.started = true;
            }
        }
        done();
    });
}

void live_hub::load_group(const group_key& key) {
    start_feed(key.contest, [self = shared_from_this(), key] { self->read_group(key); });
}

void live_hub::read_group(const group_key& key) {
    const engine::contest* c = config_.find_contest(key.contest);
    engine::standings_query query{key.board, 0, key.limit, !key.admin};
    engine::read_standings(redis_, *c, query, engine::now_seconds(), [self = shared_from_this(), key](auto page, std::string error) {
        std::vector<member> waiting;
        {
            std::lock_guard lock(self->mutex_);
            auto found = self->groups_.find(key);
            if (found == self->groups_.end()) return;
            auto& g = found->second;
            g.loading = false;
            if (g.members.empty() && g.waiting.empty()) return static_cast<void>(self->groups_.erase(found));
            waiting.swap(g.waiting);
            if (page) {
                g.rows = page->rows;
                g.total = page->total;
                g.frozen = page->frozen;
                g.freeze_seen = g.c->public_frozen(page->generated_at);
                g.loaded = true;
                g.members.insert(g.members.end(), waiting.begin(), waiting.end());
            }
        }
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

json live_hub::recent_for(const group_key& key, bool frozen) {
    json events = json::array();
    if (frozen && !key.admin) return events;
    for (const auto& [boards, event] : feeds_[key.contest].recent)
        if (std::find(boards.begin(), boards.end(), key.board) != boards.end()) events.push_back(event);
    return events;
}

void live_hub::send_snapshot(const group_key& key, const member& m) {
    auto client = m.client.lock();
    if (!client) return;
    const engine::contest* c = config_.find_contest(key.contest);
    shared_frame frame;
    {
        std::lock_guard lock(mutex_);
        const auto& g = groups_[key];
        engine::standings_page page{key.board, engine::now_seconds(), g.frozen, g.total, g.rows};
        frame = std::make_shared<const std::string>(snapshot_frame(*c, key.board, g.seq, page, recent_for(key, g.frozen), std::nullopt));
    }
    client->deliver(frame, true);
    if (!m.me.empty()) refresh_me(key, {m});
}

void live_hub::send_error(const std::shared_ptr<live_client>& client, const std::string& message) {
    client->deliver(std::make_shared<const std::string>(engine::to_text({{"type", "error"}, {"message", message}})), true);
}

}  // namespace lb::gateway
