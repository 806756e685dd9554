#include "award_store.hpp"

#include <algorithm>
#include <memory>
#include <unordered_set>

#include "lua_script.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"
#include "clock.hpp"

namespace lb::engine {

const char* to_string(apply_outcome outcome) {
    switch (outcome) {
        case apply_outcome::applied: return "applied";
        case apply_outcome::unchanged: return "unchanged";
        case apply_outcome::stale: return "stale";
        case apply_outcome::duplicate: return "duplicate";
        case apply_outcome::held: return "held";
        case apply_outcome::after_final: return "after_final";
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

std::optional<redis_command> apply_awards_command(const contest& c, const std::vector<const award*>& awards, unix_seconds now,
                                                  const apply_options& options) {
    for (const award* a : awards)
        if (!time_fits(a->at, c.starts_at)) return std::nullopt;
    keys::space at{options.space.empty() ? keys::prefix(c.id) : options.space};
    // KEYS as store/lua/apply_award.lua lists them: the fixed ones, then those of these awards.
    std::vector<std::string> declared;
    std::size_t rows = 0;
    for (const award* a : awards) rows += a->contributions.size();
    declared.reserve(11 + 3 * rows + 3 * awards.size() + options.extra_keys.size());
    for (auto key : {at.ledger(), at.log(), at.audit(), at.manual_freeze(), at.unfrozen(), at.frozen_boards(), at.unattributed(), at.held(),
                     at.final_state(), at.after_final(), at.tie_encoding()})
        declared.push_back(std::move(key));
    // Each key once: a team's "teams" and "teams:<kind>" rows share a contributor set, its teams
    // of several kinds share the "teams" board, and awards given together share boards.
    // One award's twenty-odd keys are searched in place; a sheet's thousands through a set.
    bool many = awards.size() > 1;
    std::unordered_set<std::string> seen;
    auto add = [&](std::string key) {
        bool fresh = many ? seen.insert(key).second : std::find(declared.begin(), declared.end(), key) == declared.end();
        if (fresh) declared.push_back(std::move(key));
    };
    bool frozen = !options.rebuild && c.public_frozen(now);  // as this process last read it; the script asks if it knows better
    for (const award* a : awards) {
        for (const auto& part : a->contributions) {
            add(at.board(part.board));
            if (frozen) add(at.frozen_board(part.board));
            add(at.contributors(part.board, part.member));
        }
        if (!a->pending_login.empty()) add(at.pending(a->pending_login));
        if (!a->participant.empty()) add(at.subjects(a->participant));
    }
    if (!options.delivery_key.empty()) add(at.delivery(options.delivery_key));
    for (const auto& key : options.extra_keys) add(key);
    redis_command command{{}, &apply_award_script()};
    command.argv.reserve(declared.size() + 8 + 2 * awards.size());
    command.argv.push_back(std::to_string(declared.size()));
    command.argv.insert(command.argv.end(), std::make_move_iterator(declared.begin()), std::make_move_iterator(declared.end()));
    command.argv.push_back(at.p);
    command.argv.push_back(std::to_string(c.starts_at));
    command.argv.push_back(!options.rebuild && freeze_time_passed(c, now) ? "1" : "0");
    command.argv.push_back(options.delivery_key);
    command.argv.push_back(options.audit_entry);
    command.argv.push_back(options.rebuild ? "1" : "0");
    command.argv.push_back(std::string(tie_encoding_label));
    for (const award* a : awards) {
        command.argv.push_back(a->subject);
        command.argv.push_back(a->to_json_text());
    }
    return command;
}

std::optional<redis_command> apply_award_command(const contest& c, const award& a, unix_seconds now, const apply_options& options) {
    return apply_awards_command(c, {&a}, now, options);
}

std::vector<apply_result> parse_apply_replies(const redis_value& reply, std::size_t awards) {
    apply_result whole;  // an answer for the whole call
    if (reply.is_error()) {
        bool refused = reply.text.find("points out of range") != std::string::npos;
        whole.outcome = refused ? apply_outcome::refused : apply_outcome::failed;
        whole.error = reply.text;
        return std::vector<apply_result>(awards, whole);
    }
    if (reply.kind != redis_value::type::array || reply.elements.empty()) {
        whole.error = "unexpected reply from the award script";
        return std::vector<apply_result>(awards, whole);
    }
    const auto& first = reply.elements[0].text;
    if (first == "held" || first == "duplicate" || first == "keys") {
        if (first == "held") whole.outcome = apply_outcome::held, whole.error = "a recompute is swapping the boards in";
        else if (first == "duplicate") whole.outcome = apply_outcome::duplicate;
        else
            for (std::size_t i = 1; i < reply.elements.size(); ++i) whole.missing_keys.push_back(reply.elements[i].text);
        return std::vector<apply_result>(awards, whole);
    }
    std::vector<apply_result> each(awards);
    if (reply.elements.size() != 2 * awards) {
        for (auto& result : each) result.error = "unexpected reply from the award script";
        return each;
    }
    for (std::size_t i = 0; i < awards; ++i) {
        const auto& status = reply.elements[2 * i].text;
        auto& result = each[i];
        if (status == "applied") result.outcome = apply_outcome::applied, result.log_id = reply.elements[2 * i + 1].text;
        else if (status == "unchanged") result.outcome = apply_outcome::unchanged;
        else if (status == "stale") result.outcome = apply_outcome::stale;
        else if (status == "final") result.outcome = apply_outcome::after_final;
        else result.error = "unexpected reply from the award script";
    }
    return each;
}

apply_result parse_apply_reply(const redis_value& reply) { return parse_apply_replies(reply, 1).at(0); }

void award_store::apply(const contest& c, award a, std::function<void(apply_result)> done, const std::string& delivery_key,
                        const std::string& audit_entry) {
    apply_options options;
    options.delivery_key = delivery_key;
    options.audit_entry = audit_entry;
    apply(c, std::move(a), std::move(options), std::move(done));
}

namespace {

using shared_awards = std::shared_ptr<const std::vector<award>>;

void apply_declaring(redis_executor& redis, const contest& c, shared_awards awards, apply_options options,
                     std::function<void(std::vector<apply_result>)> done) {
    std::vector<const award*> given;
    given.reserve(awards->size());
    for (const auto& a : *awards) given.push_back(&a);
    auto command = apply_awards_command(c, given, now_seconds(), options);
    if (!command)
        return done(std::vector<apply_result>(awards->size(), {apply_outcome::refused, {}, "award time lies beyond the contest's time range", {}}));
    redis.execute({std::move(*command)}, [&redis, &c, awards = std::move(awards), options = std::move(options), done = std::move(done)](
                                             std::vector<redis_value> replies) mutable {
        auto results = parse_apply_replies(replies.at(0), awards->size());
        if (results.empty() || results[0].missing_keys.empty()) return done(std::move(results));
        // The awards they replace land on other rows (another participant or team): declare those
        // too and call again (once, unless they changed again meanwhile).
        if (options.extra_keys.size() > 256 * awards->size())
            return done(std::vector<apply_result>(awards->size(), {apply_outcome::failed, {}, "the awards' keys kept changing", {}}));
        const auto& missing = results[0].missing_keys;
        options.extra_keys.insert(options.extra_keys.end(), missing.begin(), missing.end());
        apply_declaring(redis, c, std::move(awards), std::move(options), std::move(done));
    });
}

}  // namespace

void award_store::apply(const contest& c, award a, apply_options options, std::function<void(apply_result)> done) {
    std::vector<award> one;
    one.push_back(std::move(a));
    apply_declaring(redis_, c, std::make_shared<const std::vector<award>>(std::move(one)), std::move(options),
                    [done = std::move(done)](std::vector<apply_result> results) { done(std::move(results.at(0))); });
}

void award_store::apply_together(const contest& c, std::vector<award> awards, apply_options options,
                                 std::function<void(std::vector<apply_result>)> done) {
    if (awards.empty()) return done({});
    apply_declaring(redis_, c, std::make_shared<const std::vector<award>>(std::move(awards)), std::move(options), std::move(done));
}

namespace {

// Applies a list of awards in steps of awards_per_call, counting moves.
struct attribution : std::enable_shared_from_this<attribution> {
    award_store* store;
    const contest* c;
    std::vector<award> awards;
    std::size_t next = 0;
    int moved = 0;
    std::function<void(int, std::string)> done;

    void step() {
        if (next == awards.size()) return done(moved, "");
        auto end = std::min(awards.size(), next + awards_per_call);
        std::vector<award> part(std::make_move_iterator(awards.begin() + next), std::make_move_iterator(awards.begin() + end));
        next = end;
        store->apply_together(*c, std::move(part), {}, [self = shared_from_this()](std::vector<apply_result> results) {
            for (const auto& result : results) {
                if (result.outcome == apply_outcome::failed || result.outcome == apply_outcome::refused || result.outcome == apply_outcome::held)
                    return self->done(self->moved, result.error);
                if (result.outcome == apply_outcome::applied) ++self->moved;
            }
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
        for (const auto& key : login_keys(*p)) lookups.push_back({{"SMEMBERS", keys::pending(c.id, key)}});
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
