#include "certificate_store.hpp"

#include <algorithm>
#include <map>
#include <memory>

#include "crypto.hpp"
#include "lua_script.hpp"
#include "people_store.hpp"
#include "random.hpp"
#include "standings.hpp"
#include "untrusted_json.hpp"

namespace lb::engine {

using json = nlohmann::json;

namespace {

const std::string records_key = "lb:{certificates}:records";
std::string contest_key(const contest& c) { return "lb:{certificates}:contest:" + c.id; }

std::vector<json> sorted_records(const redis_value& values) {
    std::vector<json> out;
    for (const auto& v : values.elements)
        if (auto cert = certificate::from_text(v.text)) out.push_back(certificate_record(*cert));
    std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
        return std::make_pair(a.value("rank", 0LL), a.value("participant", "")) < std::make_pair(b.value("rank", 0LL), b.value("participant", ""));
    });
    return out;
}

// The records of the ids the contest's index holds.
void read_records(redis_executor& redis, std::vector<std::string> ids, certificates_handler done) {
    if (ids.empty()) return done({}, "");
    redis_command read{{"HMGET", records_key}};
    for (auto& id : ids) read.argv.push_back(std::move(id));
    redis.execute({std::move(read)}, [done = std::move(done)](std::vector<redis_value> replies) {
        if (replies.at(0).is_error()) return done({}, replies[0].text);
        done(sorted_records(replies[0]), "");
    });
}

}  // namespace

std::string certificate_hash(const certificate& c) { return "sha256:" + sha256_hex(c.content().dump()); }

json certificate_record(const certificate& c) {
    json j = c.to_json();
    j["hash"] = certificate_hash(c);
    return j;
}

std::optional<redis_command> issue_level_certificate_command(certificate cert, const std::string& community_id) {
    cert.id = random_hex(16);
    if (cert.id.empty()) return std::nullopt;
    return redis_command{{"2", "lb:{certificates}:person:" + community_id, records_key, cert.level, cert.id, to_text(cert.to_json())},
                         &issue_level_certificate_script()};
}

void contest_certificates(redis_executor& redis, const contest& c, certificates_handler done) {
    redis.execute({{{"HVALS", contest_key(c)}}}, [&redis, done = std::move(done)](std::vector<redis_value> replies) {
        if (replies.at(0).is_error()) return done({}, replies[0].text);
        std::vector<std::string> ids;
        for (const auto& v : replies[0].elements) ids.push_back(v.text);
        read_records(redis, std::move(ids), done);
    });
}

void read_certificate(redis_executor& redis, const std::string& id, std::function<void(std::optional<json>, std::string)> done) {
    redis.execute({{{"HGET", records_key, id}}}, [done = std::move(done)](std::vector<redis_value> replies) {
        if (replies.at(0).is_error()) return done(std::nullopt, replies[0].text);
        auto cert = replies[0].is_nil() ? std::nullopt : certificate::from_text(replies[0].text);
        done(cert ? std::optional<json>(certificate_record(*cert)) : std::nullopt, "");
    });
}

void issue_certificates(redis_executor& redis, const contest& c, unix_seconds now, certificates_handler done) {
    standings_query query;
    query.public_view = false;  // final: the live boards are the final ones
    query.limit = std::max(1LL, deepest_placing(c));
    read_standings(redis, c, query, now, [&redis, &c, now, done = std::move(done)](std::optional<standings_page> page, std::string error) {
        if (!page) return done({}, error);
        auto ranks = std::make_shared<std::vector<final_rank>>();
        std::vector<const participant*> people;
        for (const auto& row : page->rows)
            if (const auto* p = c.find_participant(row.id)) {
                ranks->push_back({row.id, row.rank});
                people.push_back(p);
            }
        resolve_members(redis, people, [&redis, &c, now, ranks, done](std::vector<std::string> members, std::string failed) {
            if (!failed.empty()) return done({}, failed);
            auto owed = std::make_shared<std::vector<certificate>>(owed_certificates(c, *ranks, members, now));
            redis.execute({{{"HGETALL", contest_key(c)}}}, [&redis, &c, owed, done](std::vector<redis_value> held) {
                if (held.at(0).is_error()) return done({}, held[0].text);
                std::map<std::string, std::string> id_of;
                const auto& pairs = held[0].elements;
                for (std::size_t i = 0; i + 1 < pairs.size(); i += 2) id_of[pairs[i].text] = pairs[i + 1].text;
                redis_command kept_read{{"HMGET", records_key}};
                for (const auto& cert : *owed) kept_read.argv.push_back(id_of.count(cert.participant) ? id_of[cert.participant] : "-");
                if (owed->empty()) return contest_certificates(redis, c, done);
                redis.execute({std::move(kept_read)}, [&redis, &c, owed, done](std::vector<redis_value> kept) {
                    if (kept.at(0).is_error()) return done({}, kept[0].text);
                    redis_command records{{"HSET", records_key}};
                    redis_command index{{"HSET", contest_key(c)}};
                    for (std::size_t i = 0; i < owed->size(); ++i) {
                        auto cert = (*owed)[i];
                        const auto& stored = kept[0].elements;
                        auto previous = i < stored.size() && !stored[i].is_nil() ? certificate::from_text(stored[i].text) : std::nullopt;
                        if (previous) {
                            cert = reissue(*previous, std::move(cert));
                        } else {
                            cert.id = random_hex(16);
                            if (cert.id.empty()) return done({}, "could not draw a certificate id");
                        }
                        records.argv.insert(records.argv.end(), {cert.id, to_text(cert.to_json())});
                        index.argv.insert(index.argv.end(), {cert.participant, cert.id});
                    }
                    redis.execute({std::move(records), std::move(index)}, [&redis, &c, done](std::vector<redis_value> written) {
                        for (const auto& w : written)
                            if (w.is_error()) return done({}, w.text);
                        contest_certificates(redis, c, done);
                    });
                });
            });
        });
    });
}

}  // namespace lb::engine
