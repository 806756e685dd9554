// A public vote: the page's view of it, a participant's entry, a member's ballot (signed in),
// and the organizers' ballots with their fraud signals and voids. The rules are in
// engine/core/votes.cpp; the store and the tally in engine/store/vote_store.cpp.
#include <algorithm>
#include <memory>
#include <random>

#include "api/handlers.hpp"
#include "api/sign_in_session.hpp"
#include "clock.hpp"
#include "json_reader.hpp"
#include "people_store.hpp"
#include "rfc3339.hpp"
#include "store_keys.hpp"
#include "untrusted_json.hpp"
#include "vote_store.hpp"

namespace lb::gateway {

using json = nlohmann::json;

namespace {

const engine::component_rule* vote_of(const route_call& call) { return engine::find_vote(call.c(), call.param("component")); }

api_response unknown_vote(const route_call& call) {
    return json_error(404, "unknown_vote", "component: contest \"" + call.c().id + "\" has no vote \"" + call.param("component") + "\"");
}

const char* vote_phase(const engine::vote_rules& v, engine::unix_seconds now) {
    return now < v.opens_at ? "upcoming" : now < v.closes_at ? "open" : "closed";
}

// The voter's own entry: the participant of the contest whose login they proved, or whose
// community id they are ("" for none).
std::string own_entry(const engine::contest& c, const signed_in& who) {
    for (const auto& account : who.accounts)
        if (const auto* p = c.find_by_login(account.host, account.login)) return p->id;
    if (!who.person.empty())
        for (const auto& p : c.members().participants())
            if (p.person == who.person) return p.id;
    return "";
}

// Every visitor sees the entries in an order of their own (the same on each visit), so no entry
// gains by being listed first.
void shuffle_for(std::vector<engine::vote_entry>& entries, std::string_view visitor) {
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.participant < b.participant; });
    std::uint64_t seed = 1469598103934665603ULL;
    for (unsigned char ch : visitor) seed = (seed ^ ch) * 1099511628211ULL;
    std::mt19937_64 random(visitor.empty() ? std::random_device{}() : seed);
    std::shuffle(entries.begin(), entries.end(), random);
}

json entry_json(const engine::contest& c, const engine::vote_entry& e) {
    const auto* p = c.find_participant(e.participant);
    return {{"participant", e.participant}, {"name", p ? p->name : e.participant}, {"title", e.title}, {"url", e.url}};
}

}  // namespace

namespace {

// The public view: the window, how many voted, the entries in the visitor's order, the tallies
// (when shown) and what the visitor may do.
json vote_view(const engine::contest& c, const engine::component_rule& rule, const std::optional<signed_in>& who,
               std::vector<engine::vote_entry> entries, long long counted, const std::optional<engine::ballot>& own,
               const engine::vote_tally* tally, engine::unix_seconds now) {
    const auto& v = *rule.vote;
    json out{{"component", rule.id}, {"name", {{"en", rule.name.en}, {"zh", rule.name.zh}}},
             {"opens_at", engine::format_rfc3339(v.opens_at)}, {"closes_at", engine::format_rfc3339(v.closes_at)},
             {"k", v.k}, {"ballot", v.ranked ? "ranked" : "approval"}, {"show_tallies", v.live_tallies ? "live" : "after_close"},
             {"state", vote_phase(v, now)}, {"voted", counted}};
    std::string visitor = who ? who->person : "";
    shuffle_for(entries, visitor.empty() ? "" : visitor + ":" + rule.id);
    json listed = json::array();
    for (const auto& e : entries) listed.push_back(entry_json(c, e));
    out["entries"] = std::move(listed);
    if (tally) {
        json tallies = json::array();
        for (const auto& e : entries) {
            auto found = tally->votes.find(e.participant);
            long long votes = found == tally->votes.end() ? 0 : found->second;
            tallies.push_back({{"participant", e.participant}, {"votes", votes}, {"points", engine::points_json(engine::vote_points(rule, *tally, votes))}});
        }
        std::stable_sort(tallies.begin(), tallies.end(), [](const json& a, const json& b) { return a["votes"].get<long long>() > b["votes"].get<long long>(); });
        out["tallies"] = std::move(tallies);
    }
    json you{{"signed_in", who.has_value()}, {"member", who && !who->person.empty()}, {"ballot", nullptr}, {"voided", false}};
    if (who) {
        auto mine = own_entry(c, *who);
        you["own_entry"] = mine.empty() ? json(nullptr) : json(mine);
        if (own) you.update({{"ballot", own->entries}, {"voided", own->voided}});
    }
    out["you"] = std::move(you);
    return out;
}

}  // namespace

void show_vote(route_call& call, respond_fn respond) {
    const auto* rule = vote_of(call);
    if (!rule) return respond(unknown_vote(call));
    auto& app = call.app;
    const auto& c = call.c();
    read_session(app, call.request, [&app, &c, rule, respond = std::move(respond)](std::optional<signed_in> who, std::string error) {
        if (!error.empty()) return respond(redis_failure(error));
        auto now = engine::now_seconds();
        std::string voter = who ? who->person : "";
        // While tallies are hidden (most of a vote's life, and its busiest), a view reads no ballot but the visitor's.
        if (!engine::tallies_visible(*rule->vote, now))
            return engine::read_vote_summary(app.redis, c, *rule, voter, [&c, rule, who, now, respond](std::optional<engine::vote_summary> summary, std::string failed) {
                if (!summary) return respond(redis_failure(failed));
                respond(json_ok(vote_view(c, *rule, who, std::move(summary->entries), summary->counted, summary->own, nullptr, now)));
            });
        engine::read_vote(app.redis, c, *rule, [&c, rule, who, voter, now, respond](std::optional<engine::vote_state> state, std::string failed) {
            if (!state) return respond(redis_failure(failed));
            std::set<std::string> ids;
            for (const auto& e : state->entries) ids.insert(e.participant);
            auto tally = engine::count_ballots(*rule->vote, state->ballots, ids);
            std::optional<engine::ballot> own;
            for (const auto& b : state->ballots)
                if (!voter.empty() && b.voter == voter) own = b;
            respond(json_ok(vote_view(c, *rule, who, std::move(state->entries), tally.ballots, own, &tally, now)));
        });
    });
}

void hand_in_vote_entry(route_call& call, respond_fn respond) {
    const auto* rule = vote_of(call);
    if (!rule) return respond(unknown_vote(call));
    const auto& c = call.c();
    auto parsed = json_object_body(call.request);
    if (auto* refused = std::get_if<api_response>(&parsed)) return respond(std::move(*refused));
    auto acting = acting_participant(call);
    if (auto* refused = std::get_if<api_response>(&acting)) return respond(std::move(*refused));
    const engine::participant* p = std::get<const engine::participant*>(acting);
    auto now = engine::now_seconds();
    auto read = engine::read_vote_entry(*rule, std::get<json>(parsed), now);
    if (auto* refused = std::get_if<engine::write_refusal>(&read)) return respond(refused_write(*refused));
    auto entry = std::get<engine::vote_entry>(std::move(read));
    entry.participant = p->id;
    call.app.redis.execute({engine::keep_vote_entry_command(c, *rule, entry)}, [&c, entry, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        respond(json_ok(entry_json(c, entry), 201));
    });
}

void cast_ballot(route_call& call, respond_fn respond) {
    const auto* rule = vote_of(call);
    if (!rule) return respond(unknown_vote(call));
    auto parsed = json_object_body(call.request);
    if (auto* refused = std::get_if<api_response>(&parsed)) return respond(std::move(*refused));
    if (request_cookie(call.request, session_cookie_name).empty())
        return respond(json_error(401, "unauthorized", "session: sign in with a code host to vote"));
    if (!same_site_write(call.request, call.app.config())) return respond(cross_site_refusal());
    auto& app = call.app;
    const auto& c = call.c();
    auto body = std::get<json>(std::move(parsed));
    auto client = call.who.client;
    read_session(app, call.request, [&app, &c, rule, body, client, respond = std::move(respond)](std::optional<signed_in> who, std::string error) {
        if (!error.empty()) return respond(redis_failure(error));
        if (!who) return respond(json_error(401, "unauthorized", "session: sign in with a code host to vote"));
        if (who->person.empty())
            return respond(json_error(403, "not_a_member", "session: only members of the community vote; join it first"));
        std::vector<engine::redis_command> reads{{{"HKEYS", engine::keys::vote_entries(c.id, rule->id)}}, engine::person_command(who->person)};
        app.redis.execute(std::move(reads), [&app, &c, rule, body, client, who = *who, respond](std::vector<engine::redis_value> replies) {
            for (const auto& r : replies)
                if (r.is_error()) return respond(redis_failure(r.text));
            const auto& v = *rule->vote;
            if (v.joined_before_open) {
                auto person = engine::parse_untrusted_json(replies[1].is_nil() ? "" : replies[1].text);
                auto joined = person.ok() ? engine::integer_at(person.value, "approved_at") : std::nullopt;
                if (!joined || *joined >= v.opens_at)
                    return respond(json_error(403, "joined_too_late", "session: this vote is for members who joined before it opened"));
            }
            std::set<std::string> entries;
            for (const auto& e : replies[0].elements) entries.insert(e.text);
            auto read = engine::read_ballot(*rule, body, entries, own_entry(c, who), engine::now_seconds());
            if (auto* refused = std::get_if<engine::write_refusal>(&read)) return respond(refused_write(*refused));
            auto b = std::get<engine::ballot>(std::move(read));
            b.voter = who.person;
            b.client = client;
            app.redis.execute({engine::cast_ballot_command(c, *rule, b)}, [&app, &c, rule, b, respond](std::vector<engine::redis_value> kept) {
                const auto& reply = kept.at(0);
                if (reply.is_error()) return respond(redis_failure(reply.text));
                if (reply.text == "voided") return respond(json_error(409, "ballot_voided", "ballot: an organizer voided your ballot; it cannot be cast again"));
                json answer{{"voter", b.voter}, {"entries", b.entries}, {"cast_at", engine::format_rfc3339(b.cast_at)}};
                if (!rule->vote->live_tallies) return respond(json_ok(std::move(answer)));
                // Live tallies move the board with the ballot, before it is answered.
                engine::tally_vote(app.redis, c, *rule, engine::now_seconds(), [answer, respond](int, std::string failed) {
                    if (!failed.empty()) return respond(redis_failure(failed));
                    respond(json_ok(answer));
                });
            });
        });
    });
}

// The organizers' view: every ballot with its signals (ballots from the same address, a voter
// who joined after the window opened, identical ballots within seconds), newest first.
void list_ballots(route_call& call, respond_fn respond) {
    const auto* rule = vote_of(call);
    if (!rule) return respond(unknown_vote(call));
    auto& app = call.app;
    const auto& c = call.c();
    engine::read_vote(app.redis, c, *rule, [&app, &c, rule, respond = std::move(respond)](std::optional<engine::vote_state> state, std::string failed) {
        if (!state) return respond(redis_failure(failed));
        std::vector<std::string> voters;
        for (const auto& b : state->ballots) voters.push_back(b.voter);
        auto kept = std::make_shared<engine::vote_state>(std::move(*state));
        engine::read_people_records(app.redis, voters, [&c, rule, kept, respond](std::map<std::string, json> people, std::string error) {
            if (!error.empty()) return respond(redis_failure(error));
            auto& ballots = kept->ballots;
            std::sort(ballots.begin(), ballots.end(), [](const auto& a, const auto& b) { return std::tie(b.cast_at, b.voter) < std::tie(a.cast_at, a.voter); });
            std::map<std::string, engine::unix_seconds> joined;
            for (const auto& [id, record] : people)
                if (auto at = engine::integer_at(record, "approved_at")) joined[id] = *at;
            auto signals = engine::signals_of(*rule->vote, ballots, joined);
            json list = json::array();
            long long counted = 0;
            for (std::size_t i = 0; i < ballots.size(); ++i) {
                const auto& b = ballots[i];
                counted += b.voided ? 0 : 1;
                auto person = people.find(b.voter);
                json item{{"voter", b.voter}, {"voter_name", person == people.end() ? json(nullptr) : person->second.value("name", json(nullptr))},
                          {"entries", b.entries}, {"cast_at", engine::format_rfc3339(b.cast_at)}, {"client", b.client},
                          {"same_client", signals[i].same_client}, {"joined_after_open", signals[i].joined_after_open},
                          {"burst", signals[i].burst}, {"voided", b.voided}};
                if (auto at = joined.find(b.voter); at != joined.end()) item["joined_at"] = engine::format_rfc3339(at->second);
                if (b.voided) item.update({{"void_reason", b.void_reason}, {"voided_by", b.voided_by}});
                list.push_back(std::move(item));
            }
            json entries = json::array();
            for (const auto& e : kept->entries) entries.push_back(entry_json(c, e));
            respond(json_ok({{"component", rule->id}, {"ballots", list}, {"counted", counted}, {"entries", entries}}));
        });
    });
}

// An organizer voids a ballot with a reason: it stays listed, counts for nothing, and the vote is
// tallied again (at once when its tallies are shown).
void void_ballot(route_call& call, respond_fn respond) {
    const auto* rule = vote_of(call);
    if (!rule) return respond(unknown_vote(call));
    const auto& c = call.c();
    if (c.is_final()) return respond(final_refusal(c));
    const auto& voter = call.param("voter");
    if (!engine::is_plain_id(voter)) return respond(json_error(404, "unknown_ballot", "voter: expected a community id"));
    auto action = read_body_action(call, true);
    if (auto* refused = std::get_if<api_response>(&action)) return respond(std::move(*refused));
    const auto& who = std::get<admin_action>(action);
    auto audit = audit_entry(who, "void_ballot", {{"component", rule->id}, {"voter", voter}});
    auto& app = call.app;
    app.redis.execute({engine::void_ballot_command(c, *rule, voter, who.reason, who.actor, engine::to_text(audit))},
                      [&app, &c, rule, voter, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
        const auto& reply = replies.at(0);
        if (reply.is_error()) return respond(redis_failure(reply.text));
        if (reply.text == "missing") return respond(json_error(404, "unknown_ballot", "voter: \"" + voter + "\" cast no ballot in \"" + rule->id + "\""));
        json answer{{"voter", voter}, {"voided", true}, {"already", reply.text == "voided"}};
        auto now = engine::now_seconds();
        if (!engine::tallies_visible(*rule->vote, now)) return respond(json_ok(std::move(answer)));
        engine::tally_vote(app.redis, c, *rule, now, [answer, respond](int, std::string failed) {
            if (!failed.empty()) return respond(redis_failure(failed));
            respond(json_ok(answer));
        });
    });
}

}  // namespace lb::gateway
