#include "vote_store.hpp"

#include <memory>
#include <set>

#include "award_store.hpp"
#include "untrusted_json.hpp"
#include "lua_script.hpp"
#include "store_keys.hpp"

namespace lb::engine {

namespace {

long long counter_of(const redis_value& v, long long absent) {
    if (v.is_nil()) return absent;
    try {
        return std::stoll(v.text);
    } catch (const std::exception&) {
        return absent;
    }
}

// Counts every ballot and applies the awards (the ballots changed since the last tally).
void tally_changed_vote(redis_executor& redis, const contest& c, const component_rule& rule, unix_seconds now,
                        std::function<void(int moved, std::string error)> done) {
    read_vote(redis, c, rule, [&redis, &c, &rule, now, done = std::move(done)](std::optional<vote_state> state, std::string error) {
        if (!state) return done(0, error);
        if (state->tallied == state->version) return done(0, "");
        std::set<std::string> entries;
        for (const auto& e : state->entries) entries.insert(e.participant);
        auto tally = count_ballots(*rule.vote, state->ballots, entries);
        auto at = awarded_at(c, std::min(now, rule.vote->closes_at));
        auto awards = vote_awards(c, rule, tally, state->entries, state->version, at);
        auto store = std::make_shared<award_store>(redis);
        store->apply_all(c, std::move(awards), [&redis, &c, &rule, store, version = state->version, done](int moved, std::string failed) {
            if (!failed.empty()) return done(moved, failed);
            redis.execute({{{"SET", keys::vote_tallied(c.id, rule.id), std::to_string(version)}}}, [moved, done](std::vector<redis_value> r) {
                done(moved, r.at(0).is_error() ? r[0].text : "");
            });
        });
    });
}

}  // namespace

redis_command keep_vote_entry_command(const contest& c, const component_rule& rule, const vote_entry& e) {
    return {{"HSET", keys::vote_entries(c.id, rule.id), e.participant, to_text(e.to_json())}};
}

redis_command cast_ballot_command(const contest& c, const component_rule& rule, const ballot& b) {
    return {{"2", keys::vote_ballots(c.id, rule.id), keys::vote_version(c.id, rule.id), b.voter, to_text(b.to_json())}, &cast_ballot_script()};
}

redis_command void_ballot_command(const contest& c, const component_rule& rule, const std::string& voter, const std::string& reason,
                                  const std::string& actor, const std::string& audit_entry) {
    return {{"4", keys::vote_ballots(c.id, rule.id), keys::vote_version(c.id, rule.id), keys::audit(c.id), keys::vote_voided(c.id, rule.id), voter,
             reason, actor, audit_entry},
            &void_ballot_script()};
}

void read_vote(redis_executor& redis, const contest& c, const component_rule& rule,
               std::function<void(std::optional<vote_state>, std::string error)> done) {
    std::vector<redis_command> reads{{{"HVALS", keys::vote_entries(c.id, rule.id)}},
                                     {{"HVALS", keys::vote_ballots(c.id, rule.id)}},
                                     {{"GET", keys::vote_version(c.id, rule.id)}},
                                     {{"GET", keys::vote_tallied(c.id, rule.id)}}};
    redis.execute(std::move(reads), [done = std::move(done)](std::vector<redis_value> replies) {
        for (const auto& r : replies)
            if (r.is_error()) return done(std::nullopt, r.text);
        vote_state out;
        for (const auto& v : replies.at(0).elements)
            if (auto e = vote_entry::from_text(v.text)) out.entries.push_back(std::move(*e));
        for (const auto& v : replies.at(1).elements)
            if (auto b = ballot::from_text(v.text)) out.ballots.push_back(std::move(*b));
        out.version = counter_of(replies.at(2), 0);
        out.tallied = counter_of(replies.at(3), -1);
        done(std::move(out), "");
    });
}

void read_vote_summary(redis_executor& redis, const contest& c, const component_rule& rule, const std::string& voter,
                       std::function<void(std::optional<vote_summary>, std::string error)> done) {
    std::vector<redis_command> reads{{{"HVALS", keys::vote_entries(c.id, rule.id)}},
                                     {{"HLEN", keys::vote_ballots(c.id, rule.id)}},
                                     {{"GET", keys::vote_voided(c.id, rule.id)}},
                                     {{"HGET", keys::vote_ballots(c.id, rule.id), voter.empty() ? "-" : voter}}};
    redis.execute(std::move(reads), [done = std::move(done)](std::vector<redis_value> replies) {
        for (const auto& r : replies)
            if (r.is_error()) return done(std::nullopt, r.text);
        vote_summary out;
        for (const auto& v : replies.at(0).elements)
            if (auto e = vote_entry::from_text(v.text)) out.entries.push_back(std::move(*e));
        out.counted = std::max(0LL, replies.at(1).integer - counter_of(replies.at(2), 0));
        if (!replies.at(3).is_nil()) out.own = ballot::from_text(replies[3].text);
        done(std::move(out), "");
    });
}

void tally_vote(redis_executor& redis, const contest& c, const component_rule& rule, unix_seconds now,
                std::function<void(int moved, std::string error)> done) {
    // The tally timer asks once a second: the two counters say whether anything changed, before
    // every ballot is read.
    redis.execute({{{"GET", keys::vote_version(c.id, rule.id)}}, {{"GET", keys::vote_tallied(c.id, rule.id)}}},
                  [&redis, &c, &rule, now, done = std::move(done)](std::vector<redis_value> counters) {
        for (const auto& r : counters)
            if (r.is_error()) return done(0, r.text);
        if (counter_of(counters.at(0), 0) == counter_of(counters.at(1), -1)) return done(0, "");
        tally_changed_vote(redis, c, rule, now, done);
    });
}

void tally_every_vote(redis_executor& redis, const contest& c, unix_seconds now, std::function<void(std::string error)> done) {
    auto rules = std::make_shared<std::vector<const component_rule*>>();
    for (const auto& rule : c.components)
        if (rule.vote && tallies_visible(*rule.vote, now)) rules->push_back(&rule);
    auto next = std::make_shared<std::function<void(std::size_t)>>();
    *next = [&redis, &c, now, rules, next, done = std::move(done)](std::size_t i) {
        if (i == rules->size()) {
            auto finish = done;
            *next = nullptr;  // the chain holds itself until the last step
            return finish("");
        }
        tally_vote(redis, c, *(*rules)[i], now, [next, i, done](int, std::string error) {
            if (!error.empty()) {
                auto finish = done;
                *next = nullptr;
                return finish(error);
            }
            (*next)(i + 1);
        });
    };
    (*next)(0);
}

}  // namespace lb::engine
