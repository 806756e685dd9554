#include "people_store.hpp"

#include <memory>

#include "batched_reads.hpp"
#include "lua_script.hpp"
#include "untrusted_json.hpp"

namespace lb::engine {

redis_command sign_up_command(const sign_up& s, unix_seconds now, const sign_up_limits& limits, const proven_accounts& proven) {
    auto record = sign_up_json(s);
    if (!proven.empty()) {
        record["proven"] = nlohmann::json::object();
        for (const auto& [host, account] : proven) record["proven"][host] = account;
    }
    redis_command command{{"6", keys::community("logins"), keys::community("requests"), keys::community("queue"),
                           keys::community("request_seq"), keys::community("pending_by_client"), keys::community("audit"),
                           to_text(record), std::to_string(now), std::to_string(limits.queue), std::to_string(limits.per_client),
                           limits.client, "0"},
                          &sign_up_script()};
    std::size_t proven_keys = 0;
    for (bool proven_pass : {true, false})
        for (const auto& host : all_hosts()) {
            const auto& login = login_on(s.logins, host.id);
            if (login.empty() || proven.contains(host.id) != proven_pass) continue;
            command.argv.push_back(login_key(host.id, login));
            proven_keys += proven_pass;
        }
    command.argv[12] = std::to_string(proven_keys);
    return command;
}

sign_up_result read_sign_up_reply(const redis_value& reply) {
    sign_up_result result;
    if (reply.is_error()) return result.error = reply.text, result;
    if (reply.kind != redis_value::type::array || reply.elements.empty()) return result.error = "unexpected reply", result;
    const auto& status = reply.elements[0].text;
    if (status == "queued" && reply.elements.size() >= 2) {
        result.kind = sign_up_result::outcome::queued;
        result.request_id = reply.elements[1].text;
        for (std::size_t i = 2; i < reply.elements.size(); ++i) result.set_aside.push_back(reply.elements[i].text);
    } else if (status == "duplicate" && reply.elements.size() == 3) {
        result.kind = sign_up_result::outcome::duplicate;
        result.login = reply.elements[1].text;
        result.held_by_request = reply.elements[2].text.starts_with("request:");
    } else if (status == "client_full") {
        result.kind = sign_up_result::outcome::client_full;
    } else if (status == "full") {
        result.kind = sign_up_result::outcome::full;
    } else {
        result.error = "unexpected reply " + status;
    }
    return result;
}

redis_command decide_sign_up_command(const community_settings& settings, const std::string& request_id, bool approve,
                                     unix_seconds now, const std::string& actor, const std::string& reason) {
    return {{"8", keys::community("logins"), keys::community("requests"), keys::community("queue"), keys::community("people"),
             keys::community("person_seq"), keys::community("audit"), keys::community("pending_by_client"), keys::community("accounts"),
             request_id, approve ? "approve" : "reject",
             settings.id_prefix, std::to_string(settings.id_width), std::to_string(now), actor, reason},
            &decide_sign_up_script()};
}

decision_result read_decision_reply(const redis_value& reply) {
    decision_result result;
    if (reply.is_error()) return result.error = reply.text, result;
    if (reply.kind != redis_value::type::array || reply.elements.empty()) return result.error = "unexpected reply", result;
    const auto& status = reply.elements[0].text;
    if (status == "approved" && reply.elements.size() == 2) {
        result.kind = decision_result::outcome::approved;
        result.community_id = reply.elements[1].text;
    } else if (status == "rejected") {
        result.kind = decision_result::outcome::rejected;
    } else if (status == "unknown") {
        result.kind = decision_result::outcome::unknown;
    } else if (status == "decided" && reply.elements.size() == 2) {
        result.kind = decision_result::outcome::decided;
        result.state = reply.elements[1].text;
    } else {
        result.error = "unexpected reply " + status;
    }
    return result;
}

redis_command move_chapter_command(const std::string& community_id, const chapter_move& move, unix_seconds since, unix_seconds now,
                                   const std::string& actor) {
    return {{"4", keys::community("people"), keys::community("audit"), keys::community("moved"), keys::community("moves"), community_id,
             move.kind, move.chapter, std::to_string(since),
             actor, move.reason, std::to_string(now)},
            &move_chapter_script()};
}

move_result read_move_reply(const redis_value& reply) {
    move_result result;
    if (reply.is_error()) return result.error = reply.text, result;
    if (reply.elements.empty()) return result.error = "unexpected reply", result;
    const auto& status = reply.elements[0].text;
    using outcome = move_result::outcome;
    if (status == "unknown") result.kind = outcome::unknown;
    else if ((status == "moved" || status == "unchanged") && reply.elements.size() == 2) {
        result.kind = status == "moved" ? outcome::moved : outcome::unchanged;
        result.record = reply.elements[1].text;
    } else if (status == "too_early" && reply.elements.size() == 2) {
        result.kind = outcome::too_early;
        result.current_since = reply.elements[1].text;
    } else {
        result.error = "unexpected reply " + status;
    }
    return result;
}

redis_command all_sign_ups_command() { return {{"HVALS", keys::community("requests")}}; }
redis_command person_command(const std::string& community_id) { return {{"HGET", keys::community("people"), community_id}}; }
redis_command raise_level_command(const std::string& community_id, std::size_t level) {
    return {{"1", keys::community("levels"), community_id, std::to_string(level)}, &raise_level_script()};
}

void resolve_members(redis_executor& redis, const std::vector<const participant*>& participants,
                     std::function<void(std::vector<std::string>, std::string)> done) {
    auto members = std::make_shared<std::vector<std::string>>(participants.size());
    auto owner_of = std::make_shared<std::vector<std::size_t>>();  // the participant of each login asked
    std::vector<std::string> logins;
    for (std::size_t i = 0; i < participants.size(); ++i) {
        if (!participants[i]->person.empty()) {
            (*members)[i] = participants[i]->person;
            continue;
        }
        for (auto& key : login_keys(*participants[i])) {
            logins.push_back(std::move(key));
            owner_of->push_back(i);
        }
    }
    auto count = logins.size();
    execute_in_batches(redis, field_chunks("HMGET", keys::community("logins"), logins), commands_per_batch,
                       [members, owner_of, count, done = std::move(done)](std::vector<redis_value> replies) {
                           if (const auto* error = first_error(replies)) return done({}, error->text);
                           auto owners = chunk_values(replies, 0, count);
                           for (std::size_t k = 0; k < owners.size() && k < owner_of->size(); ++k) {
                               auto& member = (*members)[(*owner_of)[k]];
                               if (member.empty() && !owners[k]->is_nil() && !owners[k]->text.starts_with("request:")) member = owners[k]->text;
                           }
                           done(std::move(*members), "");
                       });
}

namespace {

// Each stored person of the ids (one without a record left out) to take, in batches; then done.
void read_people_texts(redis_executor& redis, std::vector<std::string> ids,
                       std::function<void(const std::string& id, const std::string& text)> take, std::function<void(std::string)> done) {
    auto commands = field_chunks("HMGET", keys::community("people"), ids);
    execute_in_batches(redis, std::move(commands), commands_per_batch,
                       [ids = std::move(ids), take = std::move(take), done = std::move(done)](std::vector<redis_value> replies) {
                           if (const auto* error = first_error(replies)) return done(error->text);
                           auto values = chunk_values(replies, 0, ids.size());
                           for (std::size_t i = 0; i < ids.size() && i < values.size(); ++i)
                               if (!values[i]->is_nil()) take(ids[i], values[i]->text);
                           done("");
                       });
}

}  // namespace

void read_people_records(redis_executor& redis, std::vector<std::string> ids,
                         std::function<void(std::map<std::string, nlohmann::json>, std::string)> done) {
    auto records = std::make_shared<std::map<std::string, nlohmann::json>>();
    read_people_texts(
        redis, std::move(ids),
        [records](const std::string& id, const std::string& text) {
            auto parsed = parse_untrusted_json(text);
            if (parsed.ok()) (*records)[id] = std::move(parsed.value);
        },
        [records, done = std::move(done)](std::string error) {
            if (!error.empty()) return done({}, std::move(error));
            done(std::move(*records), "");
        });
}

void read_people_facts(redis_executor& redis, std::vector<std::string> ids,
                       std::function<void(member_facts_by_id, std::string)> done) {
    auto facts = std::make_shared<member_facts_by_id>();
    facts->reserve(ids.size());
    read_people_texts(
        redis, std::move(ids),
        [facts](const std::string& id, const std::string& text) {
            if (auto read = read_member_facts(text)) (*facts)[id] = std::move(*read);
        },
        [facts, done = std::move(done)](std::string error) {
            if (!error.empty()) return done({}, std::move(error));
            done(std::move(*facts), "");
        });
}

}  // namespace lb::engine
