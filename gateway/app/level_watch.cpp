#include "app/level_watch.hpp"

#include <chrono>
#include <iostream>

#include "certificate_store.hpp"
#include "clock.hpp"
#include "ledger_entry.hpp"
#include "live/award_feed.hpp"
#include "people_store.hpp"
#include "person_activity.hpp"
#include "store_keys.hpp"
#include "sync_redis.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

using nlohmann::json;

level_watch::level_watch(const engine::config_slot& configs, engine::redis_endpoint redis) : configs_(configs), redis_(std::move(redis)) {}

level_watch::~level_watch() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void level_watch::start() {
    if (!configs_.current().community.registration_open) return;
    thread_ = std::thread([this] { loop(); });
}

namespace {

// One command on the blocking connection (a script too); a Redis error is thrown.
engine::redis_value run_one(engine::sync_redis& redis, engine::redis_command command) {
    std::optional<engine::redis_value> reply;
    redis.execute({std::move(command)}, [&](std::vector<engine::redis_value> replies) { reply = std::move(replies.at(0)); });
    if (!reply || reply->is_error()) throw std::runtime_error(reply ? reply->text : "no reply");
    return std::move(*reply);
}

}  // namespace

void level_watch::loop() {
    std::unique_ptr<engine::sync_redis> redis;
    int failures = 0;
    for (bool first = true;; first = false) {
        if (!first) {  // the first pass at once: it takes each log's position as the process starts
            std::unique_lock lock(mutex_);
            if (wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) return;
        }
        try {
            if (!redis) redis = std::make_unique<engine::sync_redis>(redis_);
            pass(*redis, configs_.current());
            failures = 0;
        } catch (const std::exception& error) {
            redis.reset();  // a fresh connection next pass; positions stay, so nothing logged meanwhile is skipped
            if (failures++ % 30 == 0) std::cerr << "level watch: " << error.what() << "\n";
        }
    }
}

// Each person once a pass, announced in the contest of their latest award: that is the award
// that took them up, whichever contests the pass read it with.
void level_watch::pass(engine::sync_redis& redis, const engine::config& cfg) {
    struct sighting {
        const engine::contest* c;
        const engine::participant* p;
        std::string log_id;
    };
    std::vector<sighting> sightings;
    for (const auto& c : cfg.contests)
        for (const auto& [id, log_id] : participants_logged(redis, c))
            if (const auto* p = c.find_participant(id)) sightings.push_back({&c, p, log_id});
    std::vector<const engine::participant*> participants;
    for (const auto& s : sightings) participants.push_back(s.p);
    std::vector<std::string> people;
    std::string error;
    engine::resolve_members(redis, participants, [&](std::vector<std::string> found, std::string e) { people = std::move(found), error = e; });
    if (!error.empty()) throw std::runtime_error(error);
    std::map<std::string, sighting> latest;
    for (std::size_t i = 0; i < sightings.size(); ++i) {
        if (people[i].empty()) continue;
        auto [it, fresh] = latest.try_emplace(people[i], sightings[i]);
        if (!fresh && log_id_before(it->second.log_id, sightings[i].log_id)) it->second = sightings[i];
    }
    for (const auto& [person, seen] : latest) check(redis, cfg, person, *seen.c, *seen.p);
}

std::map<std::string, std::string> level_watch::participants_logged(engine::sync_redis& redis, const engine::contest& c) {
    std::map<std::string, std::string> out;
    auto [it, first] = positions_.try_emplace(c.id, "");
    if (first) {
        auto tail = redis.run({"XREVRANGE", engine::keys::log(c.id), "+", "-", "COUNT", "1"});
        if (tail.is_error()) throw std::runtime_error(tail.text);
        it->second = tail.elements.empty() ? "0-0" : tail.elements[0].elements.at(0).text;
        return out;
    }
    for (;;) {
        auto reply = redis.run({"XRANGE", engine::keys::log(c.id), "(" + it->second, "+", "COUNT", "500"});
        if (reply.is_error()) throw std::runtime_error(reply.text);
        for (const auto& entry : reply.elements) {
            if (entry.elements.size() != 2) continue;
            it->second = entry.elements[0].text;
            const auto& fields = entry.elements[1].elements;
            for (std::size_t i = 0; i + 1 < fields.size(); i += 2)
                if (fields[i].text == "record")
                    // Only whose record it is: simdjson, not a whole award (a pass reads every record since the last).
                    if (auto a = engine::read_ledger_entry(fields[i + 1].text); a && !a->participant.empty()) out[a->participant] = it->second;
        }
        if (reply.elements.size() < 500) return out;
    }
}

void level_watch::check(engine::sync_redis& redis, const engine::config& cfg, const std::string& person_id, const engine::contest& c,
                        const engine::participant& p) {
    auto stored = redis.run({"HGET", engine::keys::community("people"), person_id});
    if (stored.is_error()) throw std::runtime_error(stored.text);
    if (stored.is_nil()) return;
    auto person = engine::parse_untrusted_json(stored.text);
    if (!person.ok()) return;
    if (engine::participant_for(c, person_id, engine::logins_in(person.value)) != &p)
        return;  // the participant's login is a member's, but the roster says this participant is someone else
    std::optional<engine::person_activity> activity;
    std::string error;
    engine::read_person_activity(redis, cfg, person_id, person.value, true, [&](auto a, std::string e) { activity = std::move(a), error = e; });
    if (!activity) throw std::runtime_error(error);
    auto raised = run_one(redis, engine::raise_level_command(person_id, activity->level));
    if (raised.is_nil() || (raised.integer < 0 && activity->level == 0)) return;  // not risen, or first seen on the ground floor
    const auto& ladder = cfg.community.ladder;
    const auto& reached = ladder.at(activity->level);
    json event = {{"person", person_id}, {"participant", p.id},
                  {"level", {{"index", activity->level}, {"id", reached.id}, {"name", reached.name}, {"name_zh", reached.name_zh}}},
                  {"from", raised.integer >= 0 && static_cast<std::size_t>(raised.integer) < ladder.size() ? json(ladder[raised.integer].id) : json(nullptr)},
                  {"merged_prs", activity->totals.merged_prs}, {"points", engine::points_json(activity->totals.points)}};
    auto logged = redis.run({"XADD", engine::keys::log(c.id), "*", "level_up", engine::to_text(event), "boards", "participants"});
    if (logged.is_error()) throw std::runtime_error(logged.text);
    // The level's certificate, once per member and level.
    auto cert = engine::level_certificate(c, p, person_id, engine::string_at(person.value, "name").value_or(""), reached.id,
                                          {reached.name, reached.name_zh.empty() ? reached.name : reached.name_zh}, engine::now_seconds());
    if (auto command = engine::issue_level_certificate_command(std::move(cert), person_id)) run_one(redis, std::move(*command));
}

}  // namespace lb::gateway
