#include "standings.hpp"

#include <algorithm>
#include <charconv>
#include <tuple>

#include "award.hpp"
#include "award_store.hpp"
#include "lua_script.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"
#include "untrusted_json.hpp"

namespace lb::engine {
namespace {

double parse_score(const std::string& text) {
    double value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

}  // namespace

namespace {

void add_rows(const contest& c, long long offset, const redis_value& items, standings_page& page) {
    page.rows.reserve(items.elements.size() / 2);
    for (std::size_t i = 0; i + 1 < items.elements.size(); i += 2) {
        auto key = decode_rank_score(parse_score(items.elements[i + 1].text), c.starts_at);
        page.rows.push_back({offset + static_cast<long long>(i / 2) + 1, items.elements[i].text, key.points, key.reached_at});
    }
}

}  // namespace

redis_command read_member_command(const contest& c, bool public_view, unix_seconds now, const std::string& member,
                                  const std::vector<std::string>& boards) {
    redis_command command{{std::to_string(3 + 2 * boards.size()), keys::manual_freeze(c.id), keys::unfrozen(c.id),
                           keys::frozen_boards(c.id)},
                          &read_member_script()};
    for (const auto& board : boards) {
        command.argv.push_back(keys::board(c.id, board));
        command.argv.push_back(keys::frozen_board(c.id, board));
    }
    command.argv.push_back(board_view(c, public_view, now));
    command.argv.push_back(member);
    command.argv.insert(command.argv.end(), boards.begin(), boards.end());
    return command;
}

void read_standings(redis_executor& redis, const contest& c, const standings_query& query, unix_seconds now,
                    standings_handler done) {
    // Large pages: the script only decides which copy to read (a 100,000-row reply through
    // Lua costs about twice a plain ZRANGE), then the range is read directly.
    bool large = query.limit > 1000;
    std::string first = large ? "1" : std::to_string(query.offset);
    std::string last = large ? "0" : std::to_string(query.offset + query.limit - 1);
    redis_command command{{"5", keys::board(c.id, query.board), keys::frozen_board(c.id, query.board),
                           keys::frozen_boards(c.id), keys::unfrozen(c.id), keys::manual_freeze(c.id),
                           board_view(c, query.public_view, now), query.board, first, last},
                          &read_board_script()};
    redis.execute({std::move(command)}, [&redis, &c, query, now, large, done = std::move(done)](std::vector<redis_value> replies) {
        const auto& reply = replies.at(0);
        if (reply.is_error()) return done(std::nullopt, reply.text);
        if (reply.elements.size() != 4) return done(std::nullopt, "unexpected reply reading a board");
        standings_page page{query.board, now, reply.elements[2].integer == 1, reply.elements[0].integer, {}};
        if (!large) {
            add_rows(c, query.offset, reply.elements[1], page);
            return done(std::move(page), "");
        }
        auto key = reply.elements[3].integer == 1 ? keys::frozen_board(c.id, query.board) : keys::board(c.id, query.board);
        redis.execute({{{"ZRANGE", key, std::to_string(query.offset), std::to_string(query.offset + query.limit - 1), "WITHSCORES"}}},
                      [&c, query, page = std::move(page), done = std::move(done)](std::vector<redis_value> rows) mutable {
                          if (rows.at(0).is_error()) return done(std::nullopt, rows[0].text);
                          add_rows(c, query.offset, rows[0], page);
                          done(std::move(page), "");
                      });
    });
}

void read_participant(redis_executor& redis, const contest& c, const participant& p, bool public_view,
                      unix_seconds now, json_handler done) {
    auto hidden_from = public_view ? c.frozen_since(now) : std::nullopt;  // awards from the freeze on stay hidden
    std::vector<std::string> boards{"participants"};
    for (const auto& board : c.boards())
        if (board.starts_with("component:")) boards.push_back(board);
    auto ranks = read_member_command(c, public_view, now, p.id, boards);
    redis_command subjects{{"SMEMBERS", keys::subjects(c.id, p.id)}};
    redis.execute({std::move(ranks), std::move(subjects)}, [&redis, &c, &p, boards, hidden_from, done = std::move(done)](
                                                               std::vector<redis_value> replies) mutable {
        for (const auto& reply : replies)
            if (reply.is_error()) return done(std::nullopt, reply.text);
        nlohmann::json result{{"contest", c.id}, {"id", p.id}, {"name", p.name}, {"teams", participant_teams(c, p)},
                              {"points", 0}, {"disqualified", p.disqualified}, {"boards", nlohmann::json::object()}};
        for (std::size_t i = 0; i < boards.size() && i < replies[0].elements.size(); ++i) {
            const auto& entry = replies[0].elements[i].elements;
            if (entry.size() != 2 || entry[0].integer < 0) continue;
            auto key = decode_rank_score(parse_score(entry[1].text), c.starts_at);
            result["boards"][boards[i]] = {{"rank", entry[0].integer + 1}, {"points", points_json(key.points)},
                                           {"reached_at", format_rfc3339(key.reached_at)}};
            if (boards[i] == "participants") result["points"] = points_json(key.points);
        }
        redis_command fetch{{"HMGET", keys::ledger(c.id)}};
        for (const auto& subject : replies[1].elements) fetch.argv.push_back(subject.text);
        if (fetch.argv.size() == 2) {
            result["awards"] = nlohmann::json::array();
            return done(std::move(result), "");
        }
        redis.execute({std::move(fetch)}, [&c, hidden_from, result = std::move(result), done = std::move(done)](
                                              std::vector<redis_value> records) mutable {
            if (records.at(0).is_error()) return done(std::nullopt, records[0].text);
            std::vector<award> found;
            for (const auto& record : records[0].elements) {
                auto a = record.is_nil() ? std::nullopt : read_award_record(record.text);
                if (!a || (hidden_from && a->at >= *hidden_from)) continue;
                found.push_back(std::move(*a));
            }
            std::sort(found.begin(), found.end(), [](const award& x, const award& y) { return std::tie(x.at, x.subject) < std::tie(y.at, y.subject); });
            nlohmann::json awards = nlohmann::json::array();
            for (const auto& a : found) {
                // What the award adds to the total: points times the component's weight (0 when it counts nowhere).
                centi counted = 0;
                for (const auto& part : a.contributions)
                    if (part.board == "participants") counted = part.value;
                awards.push_back({{"subject", a.subject}, {"kind", a.kind}, {"component", a.component},
                                  {"points", points_json(a.points)}, {"counted", points_json(counted)},
                                  {"at", format_rfc3339(a.at)}, {"reason", a.reason}, {"details", a.details}});
            }
            result["awards"] = std::move(awards);
            done(std::move(result), "");
        });
    });
}

void read_events(redis_executor& redis, const contest& c, const std::string& after, long long limit, bool public_view,
                 unix_seconds now, text_handler done) {
    std::string end = "+";
    if (auto since = c.frozen_since(now); public_view && since) end = std::to_string(*since * 1000 - 1);
    redis_command command{{"XRANGE", keys::log(c.id), after.empty() ? "-" : "(" + after, end, "COUNT", std::to_string(limit)}};
    redis.execute({std::move(command)}, [done = std::move(done)](std::vector<redis_value> replies) {
        const auto& reply = replies.at(0);
        if (reply.is_error()) return done(std::nullopt, reply.text);
        std::string out;
        for (const auto& entry : reply.elements) {
            if (entry.elements.size() != 2) continue;
            std::string record, previous;
            const auto& fields = entry.elements[1].elements;
            for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
                if (fields[i].text == "record") record = fields[i + 1].text;
                else if (fields[i].text == "previous_points") previous = fields[i + 1].text;
            }
            if (record.empty()) continue;  // a marker (a recompute swapped the boards in), not an award
            out += to_text(event_to_json(entry.elements[0].text, record, previous)) + "\n";
        }
        done(std::move(out), "");
    });
}

}  // namespace lb::engine

namespace lb::engine {

void read_history(redis_executor& redis, const contest& c, const std::string& board, const std::string& member,
                  bool public_view, unix_seconds now, json_handler done) {
    auto frozen_since = public_view ? c.frozen_since(now) : std::nullopt;
    redis.execute({{{"ZRANGE", keys::contributors(c.id, board, member), "0", "-1"}}},
                  [&redis, &c, board, member, frozen_since, done = std::move(done)](std::vector<redis_value> replies) mutable {
        if (replies.at(0).is_error()) return done(std::nullopt, replies[0].text);
        redis_command fetch{{"HMGET", keys::ledger(c.id)}};
        for (const auto& subject : replies[0].elements) fetch.argv.push_back(subject.text);
        nlohmann::json result{{"contest", c.id}, {"board", board}, {"id", member}, {"points", nlohmann::json::array()}};
        if (fetch.argv.size() == 2) return done(std::move(result), "");
        redis.execute({std::move(fetch)}, [&c, board, member, frozen_since, result = std::move(result),
                                           done = std::move(done)](std::vector<redis_value> records) mutable {
            if (records.at(0).is_error()) return done(std::nullopt, records[0].text);
            std::vector<std::pair<unix_seconds, std::pair<centi, std::string>>> steps;
            for (const auto& record : records[0].elements) {
                auto a = record.is_nil() ? std::nullopt : read_award_record(record.text);
                if (!a || (frozen_since && a->at >= *frozen_since)) continue;
                for (const auto& part : a->contributions)
                    if (part.board == board && part.member == member) steps.push_back({a->at, {part.value, a->subject}});
            }
            std::sort(steps.begin(), steps.end());
            centi total = 0;
            for (const auto& [at, step] : steps) {
                total += step.first;
                result["points"].push_back({{"at", format_rfc3339(at)}, {"points", points_json(step.first)},
                                            {"total", points_json(total)}, {"subject", step.second}});
            }
            done(std::move(result), "");
        });
    });
}

}  // namespace lb::engine
