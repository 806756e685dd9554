#include "award_store.hpp"

#include <memory>

#include "lua_script.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"

namespace lb::engine {

const char* to_string(apply_outcome outcome) {
    switch (outcome) {
        case apply_outcome::applied: return "applied";
        case apply_outcome::unchanged: return "unchanged";
        case apply_outcome::stale: return "stale";
        case apply_outcome::duplicate: return "duplicate";
        case apply_outcome::refused: return "refused";
        case apply_outcome::failed: return "failed";
    }
    return "failed";
}

bool freeze_time_passed(const contest& c, unix_seconds now) { return c.freeze_at && now >= *c.freeze_at; }

std::string board_view(const contest& c, bool public_view, unix_seconds now) {
    if (!public_view) return "";
    return freeze_time_passed(c, now) ? "1" : "0";
}

std::optional<redis_command> apply_award_command(const contest& c, const award& a, unix_seconds now,
                                                 const std::string& delivery_key, const std::string& audit_entry) {
    if (!time_fits(a.at, c.starts_at)) return std::nullopt;
    return redis_command{{"2", keys::ledger(c.id), keys::log(c.id), keys::prefix(c.id), a.subject, a.to_json_text(),
                          std::to_string(c.starts_at), freeze_time_passed(c, now) ? "1" : "0", delivery_key, audit_entry},
                         &apply_award_script()};
}

apply_result parse_apply_reply(const redis_value& reply) {
    apply_result result;
    if (reply.is_error()) {
        bool refused = reply.text.find("points out of range") != std::string::npos;
        result.outcome = refused ? apply_outcome::refused : apply_outcome::failed;
        result.error = reply.text;
        return result;
    }
    if (reply.kind != redis_value::type::array || reply.elements.empty()) {
        result.error = "unexpected reply from the award script";
        return result;
    }
    const auto& status = reply.elements[0].text;
    if (status == "unchanged") result.outcome = apply_outcome::unchanged;
    else if (status == "stale") result.outcome = apply_outcome::stale;
    else if (status == "duplicate") result.outcome = apply_outcome::duplicate;
    else if (status == "applied" && reply.elements.size() >= 2) {
        result.outcome = apply_outcome::applied;
        result.log_id = reply.elements[1].text;
        for (std::size_t i = 2; i < reply.elements.size(); ++i) {
            const auto& row = reply.elements[i].text;
            auto split = row.find('\n');
            result.rows.emplace_back(row.substr(0, split), split == std::string::npos ? "" : row.substr(split + 1));
        }
    } else {
        result.error = "unexpected reply from the award script";
    }
    return result;
}

void award_store::apply(const contest& c, const award& a, std::function<void(apply_result)> done,
                        const std::string& delivery_key, const std::string& audit_entry) {
    auto command = apply_award_command(c, a, now_seconds(), delivery_key, audit_entry);
    if (!command) {
        done({apply_outcome::refused, {}, {}, "award time lies beyond the contest's time range"});
        return;
    }
    redis_.execute({std::move(*command)}, [done = std::move(done)](std::vector<redis_value> replies) {
        done(parse_apply_reply(replies.at(0)));
    });
}

namespace {

// Applies a list of re-derived awards one after another, counting moves.
struct attribution : std::enable_shared_from_this<attribution> {
    award_store* store;
    const contest* c;
    std::vector<award> awards;
    std::size_t next = 0;
    int moved = 0;
    std::function<void(int, std::string)> done;

    void step() {
        if (next == awards.size()) return done(moved, "");
        const award& a = awards[next++];
        store->apply(*c, a, [self = shared_from_this()](apply_result result) {
            if (result.outcome == apply_outcome::failed || result.outcome == apply_outcome::refused)
                return self->done(self->moved, result.error);
            if (result.outcome == apply_outcome::applied) ++self->moved;
            self->step();
        });
    }
};

}  // namespace

void award_store::apply_all(const contest& c, std::vector<award> awards, std::function<void(int, std::string)> done) {
    auto job = std::make_shared<attribution>();
    job->store = this;
    job->c = &c;
    job->awards = std::move(awards);
    job->done = std::move(done);
    job->step();
}

void award_store::refresh_participants(const contest& c, const std::vector<std::string>& ids,
                                       std::function<void(int, std::string)> done) {
    std::vector<redis_command> lookups;
    for (const auto& id : ids) {
        lookups.push_back({{"SMEMBERS", keys::subjects(c.id, id)}});
        const participant* p = c.find_participant(id);
        if (!p) continue;
        for (const auto& [host, login] : {std::pair{"github", p->github}, std::pair{"gitee", p->gitee}})
            if (!login.empty()) lookups.push_back({{"SMEMBERS", keys::pending(c.id, std::string(host) + ":" + to_lower_ascii(login))}});
    }
    if (lookups.empty()) return done(0, "");
    redis_.execute(std::move(lookups), [this, &c, done = std::move(done)](std::vector<redis_value> replies) mutable {
        redis_command fetch{{"HMGET", keys::ledger(c.id)}};
        for (const auto& reply : replies) {
            if (reply.is_error()) return done(0, reply.text);
            for (const auto& subject : reply.elements) fetch.argv.push_back(subject.text);
        }
        if (fetch.argv.size() == 2) return done(0, "");
        redis_.execute({std::move(fetch)}, [this, &c, done = std::move(done)](std::vector<redis_value> records) mutable {
            if (records.at(0).is_error()) return done(0, records[0].text);
            std::vector<award> awards;
            for (const auto& record : records[0].elements) {
                if (record.is_nil()) continue;
                if (auto stored = read_award_record(record.text)) awards.push_back(rederive_award(c, *stored));
            }
            apply_all(c, std::move(awards), std::move(done));
        });
    });
}

void award_store::attribute_unregistered(const contest& c, std::function<void(int, std::string)> done) {
    redis_.execute({{{"SMEMBERS", keys::unattributed(c.id)}}}, [this, &c, done = std::move(done)](std::vector<redis_value> replies) mutable {
        if (replies.at(0).is_error()) return done(0, replies[0].text);
        std::vector<std::string> ids;
        for (const auto& login : replies[0].elements) {
            auto colon = login.text.find(':');
            if (colon == std::string::npos) continue;
            if (const participant* p = c.find_by_login(login.text.substr(0, colon), login.text.substr(colon + 1))) ids.push_back(p->id);
        }
        if (ids.empty()) return done(0, "");
        refresh_participants(c, ids, std::move(done));
    });
}

}  // namespace lb::engine
