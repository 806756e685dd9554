#include "live/award_feed.hpp"

#include <algorithm>
#include <charconv>

#include "common/error_boundary.hpp"
#include "live/live_frames.hpp"
#include "standings.hpp"
#include "store_keys.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

// A person reaching a level (app/level_watch.cpp), shaped as the screens show an award.
json level_up_event(const engine::contest& c, const std::string& id, const std::string& text) {
    auto parsed = engine::parse_untrusted_json(text);
    if (!parsed.ok()) return nullptr;
    const json* level = engine::object_at(parsed.value, "level");
    auto participant = engine::string_at(parsed.value, "participant");
    if (!level || !participant) return nullptr;
    auto level_id = engine::string_at(*level, "id").value_or("");
    auto name = engine::string_at(*level, "name").value_or("");
    json out = screen_event(c, {{"id", id}, {"kind", "level_up"}, {"participant", *participant}, {"reason", name}});
    out["level"] = {{"id", level_id}, {"name", name}, {"name_zh", engine::string_at(*level, "name_zh").value_or("")}};
    out["person"] = engine::string_at(parsed.value, "person").value_or("");
    return out;
}

}  // namespace

std::optional<log_event> read_log_entry(const engine::contest& c, const engine::redis_value& entry) {
    if (entry.elements.size() != 2 || entry.elements[0].text.empty()) return std::nullopt;
    std::string record, previous, boards, level_up;
    log_event out;
    const auto& fields = entry.elements[1].elements;
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].text == "record") record = fields[i + 1].text;
        else if (fields[i].text == "previous_points") previous = fields[i + 1].text;
        else if (fields[i].text == "boards") boards = fields[i + 1].text;
        else if (fields[i].text == "recompute") out.rebuilt = true;
        else if (fields[i].text == "level_up") level_up = fields[i + 1].text;
    }
    for (std::size_t start = 0; start < boards.size();) {
        auto comma = boards.find(',', start);
        out.boards.push_back(boards.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (!level_up.empty()) {
        out.event = level_up_event(c, entry.elements[0].text, level_up);
        if (out.event.is_null()) return std::nullopt;
        return out;
    }
    if (!out.rebuilt) out.event = screen_event(c, engine::event_to_json(entry.elements[0].text, record, previous));
    else if (!record.empty()) return std::nullopt;
    return out;
}

award_feed::award_feed(const engine::config_slot& config, engine::redis_executor& redis, std::size_t recent_events)
    : config_(config), redis_(redis), recent_events_(recent_events) {}

void award_feed::keep_recent(position& p, const std::vector<log_event>& fresh) const {
    for (const auto& e : fresh)
        if (!e.rebuilt) p.recent.push_back(e);
    if (p.recent.size() > recent_events_) p.recent.erase(p.recent.begin(), p.recent.end() - static_cast<long>(recent_events_));
}

void award_feed::start(const std::string& contest_id, std::function<void()> done) {
    bool started;
    {
        std::lock_guard lock(mutex_);
        started = positions_[contest_id].started;
    }
    if (started) return done();  // outside the lock: done reads the feed again
    redis_.execute({{{"XREVRANGE", engine::keys::log(contest_id), "+", "-", "COUNT", std::to_string(recent_events_)}}},
                   [self = shared_from_this(), contest_id, done = std::move(done)](std::vector<engine::redis_value> replies) {
        shielded("the award feed taking a log position", [&] {
            std::lock_guard lock(self->mutex_);
            auto& p = self->positions_[contest_id];
            if (p.started || replies.at(0).is_error()) return;
            const engine::contest* c = self->config_.current().find_contest(contest_id);
            std::vector<log_event> latest;
            for (auto entry = replies[0].elements.rbegin(); entry != replies[0].elements.rend(); ++entry)
                if (auto event = read_log_entry(*c, *entry)) latest.push_back(std::move(*event));
            p.last_id = replies[0].elements.empty() ? "0-0" : replies[0].elements.front().elements.at(0).text;
            self->keep_recent(p, latest);
            p.started = true;
        });
        done();
    });
}

void award_feed::read(const std::set<std::string>& contest_ids, std::function<void(fresh_events)> done) {
    std::vector<const engine::contest*> watched;
    std::vector<engine::redis_command> commands;
    {
        std::lock_guard lock(mutex_);
        for (const auto& id : contest_ids) {
            auto it = positions_.find(id);
            if (it == positions_.end() || !it->second.started) continue;  // start() comes with the first board read
            watched.push_back(config_.current().find_contest(id));
            commands.push_back({{"XRANGE", engine::keys::log(id), "(" + it->second.last_id, "+", "COUNT", "500"}});
        }
    }
    if (commands.empty()) return done({});
    redis_.execute(std::move(commands), [self = shared_from_this(), watched, done = std::move(done)](std::vector<engine::redis_value> replies) {
        fresh_events fresh;
        {
            std::lock_guard lock(self->mutex_);
            for (std::size_t i = 0; i < watched.size(); ++i) {
                if (replies[i].is_error() || replies[i].elements.empty()) continue;
                auto& p = self->positions_[watched[i]->id];
                auto& events = fresh[watched[i]->id];
                for (const auto& entry : replies[i].elements)
                    shielded("the award feed reading a log entry", [&] {
                        if (auto event = read_log_entry(*watched[i], entry)) events.push_back(std::move(*event));
                    });
                // The position moves past every entry read, readable or not.
                if (const auto& last = replies[i].elements.back(); !last.elements.empty()) p.last_id = last.elements[0].text;
                self->keep_recent(p, events);
            }
        }
        done(std::move(fresh));
    });
}

bool log_id_before(const std::string& a, const std::string& b) {
    auto split = [](const std::string& id) {
        unsigned long long ms = 0, seq = 0;
        auto dash = id.find('-');
        auto text = std::string_view(id);
        std::from_chars(text.data(), text.data() + std::min(dash, text.size()), ms);
        if (dash != std::string::npos) std::from_chars(text.data() + dash + 1, text.data() + text.size(), seq);
        return std::pair(ms, seq);
    };
    return split(a) < split(b);
}

std::string award_feed::log_position(const std::string& contest_id) const {
    std::lock_guard lock(mutex_);
    auto it = positions_.find(contest_id);
    return it == positions_.end() || !it->second.started ? "0-0" : it->second.last_id;
}

json award_feed::recent_for(const std::string& contest_id, const std::string& board) const {
    json events = json::array();
    std::lock_guard lock(mutex_);
    auto it = positions_.find(contest_id);
    if (it == positions_.end()) return events;
    for (const auto& [boards, event, marker] : it->second.recent)
        if (std::find(boards.begin(), boards.end(), board) != boards.end()) events.push_back(event);
    return events;
}

}  // namespace lb::gateway
