#include "season_read.hpp"

#include <memory>
#include <set>
#include <sstream>

#include "award.hpp"
#include "batched_reads.hpp"
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

struct part {  // one participant's row on one of the season's contests
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
    season_page_query query;
    unix_seconds now = 0;
    std::function<void(std::optional<json>, std::string)> done;

    std::vector<std::vector<standings_row>> rows;  // per contest
    std::vector<part> parts;
    std::vector<std::string> person_of;   // per part: the member it counts for ("" for nobody)
    std::map<std::string, json> records;  // the people board's rows: community id -> stored person
    member_facts_by_id facts;             // a chapter board's members: their memberships
    std::vector<std::size_t> dated;       // parts of members who moved within the kind: read from the ledger
    std::map<std::string, season_total> totals;
    std::map<std::string, json> by_contest;
    std::size_t total_rows = 0;

    bool failed(const std::vector<redis_value>& replies) {
        if (const auto* error = first_error(replies)) {
            done(std::nullopt, error->text);
            return true;
        }
        return false;
    }

    void read_boards(std::size_t next) {
        if (next == contests.size()) return resolve();
        standings_query board;
        board.limit = max_standings_limit;
        board.public_view = query.public_view;
        read_standings(*redis, *contests[next].first, board, now, [self = shared_from_this(), next](auto page, std::string error) {
            if (!page) return self->done(std::nullopt, error);
            self->rows.push_back(std::move(page->rows));
            self->read_boards(next + 1);
        });
    }

    // Who each row is: the participant's community id, or the member who owns their login.
    void resolve() {
        std::vector<const participant*> participants;
        for (std::size_t k = 0; k < contests.size(); ++k)
            for (const auto& row : rows[k])
                if (const participant* p = contests[k].first->find_participant(row.id)) {
                    parts.push_back({contests[k].first, contests[k].second, p, row.points, row.reached_at});
                    participants.push_back(p);
                }
        resolve_members(*redis, participants, [self = shared_from_this()](std::vector<std::string> members, std::string error) {
            if (!error.empty()) return self->done(std::nullopt, error);
            self->person_of = std::move(members);
            self->total_up();
        });
    }

    void total_up() {
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const auto& id = person_of[i];
            if (id.empty()) continue;
            auto& total = totals[id];
            auto points = weighted(parts[i].points, parts[i].weight);
            total.points += points;
            total.reached_at = std::max(total.reached_at, parts[i].reached_at);
            by_contest[id][parts[i].c->id] = points_json(points);
        }
        // The people board reads the records of the rows it shows; a chapter board needs everyone's memberships.
        std::vector<std::string> wanted;
        if (kind.empty()) {
            auto ranked = rank_season(totals);
            total_rows = ranked.size();
            for (auto i = query.offset; i < static_cast<long long>(ranked.size()) && i < query.offset + query.limit; ++i)
                wanted.push_back(ranked[static_cast<std::size_t>(i)].id);
        } else {
            for (const auto& [id, total] : totals) wanted.push_back(id);
        }
        if (kind.empty())
            return read_people_records(*redis, std::move(wanted), [self = shared_from_this()](auto found, std::string error) {
                if (!error.empty()) return self->done(std::nullopt, error);
                self->records = std::move(found);
                self->finish(self->people_board());
            });
        // Only the memberships of every member (100,000 records in a large season): read with simdjson.
        read_people_facts(*redis, std::move(wanted), [self = shared_from_this()](auto found, std::string error) {
            if (!error.empty()) return self->done(std::nullopt, error);
            self->facts = std::move(found);
            self->read_moves();
        });
    }

    void read_moves() {
        std::vector<redis_command> sets;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            auto member = facts.find(person_of[i]);
            if (member == facts.end() || !moved_within(member->second.memberships, kind)) continue;
            dated.push_back(i);
            sets.push_back({{"SMEMBERS", keys::subjects(parts[i].c->id, parts[i].p->id)}});
        }
        execute_in_batches(*redis, std::move(sets), commands_per_batch, [self = shared_from_this()](std::vector<redis_value> replies) {
            if (self->failed(replies)) return;
            std::vector<redis_command> lookups;
            for (std::size_t d = 0; d < replies.size(); ++d) {
                redis_command lookup{{"HMGET", keys::ledger(self->parts[self->dated[d]].c->id)}};
                for (const auto& subject : replies[d].elements) lookup.argv.push_back(subject.text);
                lookups.push_back(lookup.argv.size() > 2 ? std::move(lookup) : redis_command{{"PING"}});
            }
            execute_in_batches(*self->redis, std::move(lookups), commands_per_batch,
                               [self](std::vector<redis_value> ledgers) {
                                   if (self->failed(ledgers)) return;
                                   self->finish(self->chapter_board(ledgers));
                               });
        });
    }

    json people_board() {
        json out = json::array();
        auto ranked = rank_season(totals);
        for (auto i = query.offset; i < static_cast<long long>(ranked.size()) && i < query.offset + query.limit; ++i) {
            const auto& row = ranked[static_cast<std::size_t>(i)];
            auto record = records.find(row.id);
            auto name = record == records.end() ? row.id : string_at(record->second, "name").value_or(row.id);
            out.push_back({{"rank", row.rank}, {"id", row.id}, {"name", name}, {"points", points_json(row.points)},
                           {"contests", by_contest[row.id]}});
        }
        return out;
    }

    json chapter_board(const std::vector<redis_value>& ledgers) {
        std::map<std::string, season_total> chapters;
        std::map<std::string, std::set<std::string>> members;
        auto add = [&](const std::string& chapter, const std::string& person, centi points, unix_seconds reached) {
            if (chapter.empty()) return;
            auto& total = chapters[chapter];
            total.points += points;
            total.reached_at = std::max(total.reached_at, reached);
            members[chapter].insert(person);
        };
        std::set<std::size_t> moved(dated.begin(), dated.end());
        for (std::size_t i = 0; i < parts.size(); ++i) {
            auto member = facts.find(person_of[i]);
            if (member == facts.end() || moved.count(i)) continue;  // a season's chapters are its members'
            add(chapter_at(member->second.memberships, kind, parts[i].reached_at), member->first,
                weighted(parts[i].points, parts[i].weight), parts[i].reached_at);
        }
        // Members who moved: each award to the chapter they belonged to when it was earned.
        for (std::size_t d = 0; d < dated.size() && d < ledgers.size(); ++d) {
            const auto& p = parts[dated[d]];
            const auto& person = person_of[dated[d]];
            const auto& memberships = facts[person].memberships;
            auto frozen = query.public_view ? p.c->frozen_since(now) : std::nullopt;
            std::map<std::string, centi> raw;
            for (const auto& value : ledgers[d].elements) {
                if (value.is_nil()) continue;
                auto entry = read_ledger_entry(value.text);
                if (!entry || entry->participant != p.p->id || (frozen && entry->at >= *frozen)) continue;
                raw[chapter_at(memberships, kind, entry->at)] += entry->points;
            }
            for (const auto& [chapter, points] : raw) add(chapter, person, weighted(points, p.weight), p.reached_at);
        }
        json out = json::array();
        auto ranked = rank_season(chapters);
        total_rows = ranked.size();
        for (auto i = query.offset; i < static_cast<long long>(ranked.size()) && i < query.offset + query.limit; ++i) {
            const auto& row = ranked[static_cast<std::size_t>(i)];
            out.push_back({{"rank", row.rank}, {"id", row.id}, {"name", row.id}, {"points", points_json(row.points)},
                           {"members", members[row.id].size()}});
        }
        return out;
    }

    void finish(json rows_out) {
        json contests_out = json::array();
        for (const auto& [c, weight] : contests) contests_out.push_back({{"id", c->id}, {"weight", weight}});
        done(json{{"season", s->id}, {"board", kind.empty() ? "people" : "chapters:" + kind}, {"generated_at", format_rfc3339(now)},
                  {"contests", std::move(contests_out)}, {"total", total_rows}, {"offset", query.offset}, {"rows", std::move(rows_out)}},
             "");
    }
};

}  // namespace

void read_season(redis_executor& redis, const config& cfg, const season& s, const season_page_query& query, unix_seconds now,
                 std::function<void(std::optional<json>, std::string)> done) {
    auto job = std::make_shared<season_job>();
    job->redis = &redis;
    job->s = &s;
    for (const auto& entry : s.contests)
        if (const contest* c = cfg.find_contest(entry.contest)) job->contests.push_back({c, entry.weight});
    season_board(query.board, job->kind);
    job->query = query;
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
