#include "season_read.hpp"

#include <memory>
#include <set>
#include <sstream>

#include "award.hpp"
#include "community.hpp"
#include "csv.hpp"
#include "ledger_entry.hpp"
#include "people_store.hpp"
#include "seasons.hpp"
#include "standings.hpp"
#include "store_keys.hpp"
#include "untrusted_json.hpp"

namespace lb::engine {

using nlohmann::json;

namespace {

struct part {  // one person's participation in one of the season's contests
    const contest* c;
    double weight;
    const participant* p;
    centi points;
    unix_seconds reached_at;
};

struct season_job : std::enable_shared_from_this<season_job> {
    redis_executor* redis;
    const season* s;
    std::vector<std::pair<const contest*, double>> contests;
    std::string kind;  // "" for the people board
    bool public_view = true;
    unix_seconds now = 0;
    std::function<void(std::optional<json>, std::string)> done;

    std::vector<std::vector<standings_row>> rows;  // per contest
    std::vector<part> parts;                       // rows resolved to people
    std::vector<std::string> person_of;            // per part
    std::map<std::string, json> records;           // community id -> stored person
    std::vector<std::size_t> dated;                // parts of people who moved, read from the ledger
    std::vector<std::vector<std::string>> subjects;

    void read_boards(std::size_t next) {
        if (next == contests.size()) return resolve();
        standings_query query;
        query.limit = max_standings_limit;
        query.public_view = public_view;
        read_standings(*redis, *contests[next].first, query, now, [self = shared_from_this(), next](auto page, std::string error) {
            if (!page) return self->done(std::nullopt, error);
            self->rows.push_back(std::move(page->rows));
            self->read_boards(next + 1);
        });
    }

    // Who each row is: the participant's community id, or the owner of their login.
    void resolve() {
        redis_command owners{{"HMGET", keys::community("logins")}};
        for (std::size_t k = 0; k < contests.size(); ++k)
            for (const auto& row : rows[k])
                if (const participant* p = contests[k].first->find_participant(row.id)) {
                    parts.push_back({contests[k].first, contests[k].second, p, row.points, row.reached_at});
                    owners.argv.push_back(p->github.empty() ? login_key("gitee", p->gitee) : login_key("github", p->github));
                }
        if (parts.empty()) return finish();
        redis->execute({std::move(owners)}, [self = shared_from_this()](std::vector<redis_value> replies) {
            if (replies.at(0).is_error()) return self->done(std::nullopt, replies[0].text);
            redis_command people{{"HMGET", keys::community("people")}};
            for (std::size_t i = 0; i < self->parts.size(); ++i) {
                std::string id = self->parts[i].p->person;
                const auto& owner = i < replies[0].elements.size() ? replies[0].elements[i] : redis_value{};
                if (id.empty() && !owner.is_nil() && !owner.text.starts_with("request:")) id = owner.text;
                self->person_of.push_back(id);
                if (!id.empty()) people.argv.push_back(id);
            }
            if (people.argv.size() == 2) return self->finish();
            self->redis->execute({std::move(people)}, [self](std::vector<redis_value> found) { self->read_people(std::move(found)); });
        });
    }

    void read_people(std::vector<redis_value> found) {
        if (found.at(0).is_error()) return done(std::nullopt, found[0].text);
        std::size_t next = 0;
        for (const auto& id : person_of) {
            if (id.empty()) continue;
            const auto& stored = found[0].elements.at(next++);
            if (stored.is_nil()) continue;
            auto parsed = parse_untrusted_json(stored.text);
            if (parsed.ok()) records[id] = std::move(parsed.value);
        }
        if (kind.empty()) return finish();
        std::vector<redis_command> sets;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            auto record = records.find(person_of[i]);
            if (record == records.end() || !moved_within(read_memberships(record->second), kind)) continue;
            dated.push_back(i);
            sets.push_back({{"SMEMBERS", keys::subjects(parts[i].c->id, parts[i].p->id)}});
        }
        if (sets.empty()) return finish();
        redis->execute(std::move(sets), [self = shared_from_this()](std::vector<redis_value> replies) {
            std::vector<redis_command> lookups;
            for (const auto& reply : replies) {
                if (reply.is_error()) return self->done(std::nullopt, reply.text);
                auto& list = self->subjects.emplace_back();
                for (const auto& subject : reply.elements) list.push_back(subject.text);
                redis_command lookup{{"HMGET", keys::ledger(self->parts[self->dated[self->subjects.size() - 1]].c->id)}};
                lookup.argv.insert(lookup.argv.end(), list.begin(), list.end());
                lookups.push_back(list.empty() ? redis_command{{"PING"}} : std::move(lookup));
            }
            self->redis->execute(std::move(lookups), [self](std::vector<redis_value> ledgers) { self->finish(std::move(ledgers)); });
        });
    }

    json people_board() {
        std::map<std::string, season_total> totals;
        std::map<std::string, json> by_contest;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const auto& id = person_of.size() > i ? person_of[i] : "";
            if (id.empty() || !records.count(id)) continue;  // a season ranks the community's members
            auto& total = totals[id];
            auto points = weighted(parts[i].points, parts[i].weight);
            total.points += points;
            total.reached_at = std::max(total.reached_at, parts[i].reached_at);
            by_contest[id][parts[i].c->id] = points_json(points);
        }
        json out = json::array();
        for (const auto& row : rank_season(totals))
            out.push_back({{"rank", row.rank}, {"id", row.id}, {"name", string_at(records[row.id], "name").value_or("")},
                           {"points", points_json(row.points)}, {"contests", by_contest[row.id]}});
        return out;
    }

    json chapter_board(const std::vector<redis_value>& ledgers) {
        std::map<std::string, season_total> totals;
        std::map<std::string, std::set<std::string>> members;
        auto add = [&](const std::string& chapter, const std::string& person, centi points, unix_seconds reached) {
            if (chapter.empty()) return;
            auto& total = totals[chapter];
            total.points += points;
            total.reached_at = std::max(total.reached_at, reached);
            members[chapter].insert(person);
        };
        std::set<std::size_t> moved(dated.begin(), dated.end());
        for (std::size_t i = 0; i < parts.size(); ++i) {
            auto record = records.find(person_of.size() > i ? person_of[i] : "");
            if (record == records.end() || moved.count(i)) continue;
            add(chapter_at(read_memberships(record->second), kind, parts[i].reached_at), record->first,
                weighted(parts[i].points, parts[i].weight), parts[i].reached_at);
        }
        // People who moved: each award to the chapter they belonged to when it was earned.
        for (std::size_t d = 0; d < dated.size() && d < ledgers.size(); ++d) {
            const auto& part = parts[dated[d]];
            const auto& person = person_of[dated[d]];
            auto memberships = read_memberships(records[person]);
            auto frozen = public_view ? part.c->frozen_since(now) : std::nullopt;
            std::map<std::string, centi> raw;
            for (const auto& value : ledgers[d].elements) {
                if (value.is_nil()) continue;
                auto entry = read_ledger_entry(value.text);
                if (!entry || entry->participant != part.p->id || (frozen && entry->at >= *frozen)) continue;
                raw[chapter_at(memberships, kind, entry->at)] += entry->points;
            }
            for (const auto& [chapter, points] : raw) add(chapter, person, weighted(points, part.weight), part.reached_at);
        }
        json out = json::array();
        for (const auto& row : rank_season(totals))
            out.push_back({{"rank", row.rank}, {"id", row.id}, {"name", row.id}, {"points", points_json(row.points)},
                           {"members", members[row.id].size()}});
        return out;
    }

    void finish(std::vector<redis_value> ledgers = {}) {
        for (const auto& l : ledgers)
            if (l.is_error()) return done(std::nullopt, l.text);
        json rows_out = kind.empty() ? people_board() : chapter_board(ledgers);
        json contests_out = json::array();
        for (const auto& [c, weight] : contests) contests_out.push_back({{"id", c->id}, {"weight", weight}});
        done(json{{"season", s->id}, {"board", kind.empty() ? "people" : "chapters:" + kind}, {"generated_at", format_rfc3339(now)},
                  {"contests", std::move(contests_out)}, {"total", rows_out.size()}, {"rows", std::move(rows_out)}},
             "");
    }
};

}  // namespace

void read_season(redis_executor& redis, const config& cfg, const season& s, const std::string& board, bool public_view,
                 unix_seconds now, std::function<void(std::optional<json>, std::string)> done) {
    auto job = std::make_shared<season_job>();
    job->redis = &redis;
    job->s = &s;
    for (const auto& entry : s.contests)
        if (const contest* c = cfg.find_contest(entry.contest)) job->contests.push_back({c, entry.weight});
    season_board(board, job->kind);
    job->public_view = public_view;
    job->now = now;
    job->done = std::move(done);
    job->read_boards(0);
}

std::string season_csv(const json& board) {
    std::ostringstream out;
    out << "rank,id,name,points\r\n";
    for (const auto& row : board["rows"])
        out << row["rank"].get<long long>() << ',' << csv_field(row["id"].get<std::string>()) << ','
            << csv_field(row["name"].get<std::string>()) << ',' << row["points"].dump() << "\r\n";
    return out.str();
}

}  // namespace lb::engine
