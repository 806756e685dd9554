#include "standings.hpp"

#include <algorithm>
#include <charconv>
#include <tuple>

#include "award.hpp"
#include "award_store.hpp"
#include "json_text.hpp"
#include "lua_script.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"

namespace lb::engine {
namespace {

double parse_score(const std::string& text) {
    double value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

std::string csv_field(const std::string& text) {
    bool quote = text.find_first_of(",\"\r\n") != std::string::npos;
    // A leading =, +, - or @ (or a TAB or CR before one) would make a spreadsheet run the cell as a formula.
    bool formula = !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' ||
                                     text[0] == '\r');
    std::string out = formula ? "'" + text : text;
    if (!quote && !formula) return out;
    std::string quoted = "\"";
    for (char c : out) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

nlohmann::json participant_teams(const contest& c, const participant& p) {
    nlohmann::json teams = nlohmann::json::object();
    for (const auto& team_id : p.teams)
        if (const team* t = c.find_team(team_id)) teams[to_string(t->kind)] = t->id;
    return teams;
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

nlohmann::json standings_row_to_json(const contest& c, const std::string& board, const standings_row& row) {
    nlohmann::json j{{"rank", row.rank}, {"id", row.id}, {"name", c.member_name(board, row.id, "en")},
                     {"points", points_json(row.points)}, {"reached_at", format_rfc3339(row.reached_at)}};
    if (c.is_team_board(board)) {
        if (const team* t = c.find_team(row.id)) {
            j["name_zh"] = t->name.zh;
            j["kind"] = to_string(t->kind);
        }
    } else if (const participant* p = c.find_participant(row.id)) {
        j["teams"] = participant_teams(c, *p);
    }
    return j;
}

namespace {

const team* team_of_kind(const contest& c, const participant& p, team_kind kind) {
    for (const auto& team_id : p.teams)
        if (const team* t = c.find_team(team_id); t && t->kind == kind) return t;
    return nullptr;
}

// One row exactly as standings_row_to_json renders it (keys in the same order), without
// building a JSON tree: a 100,000-row export spends its time here.
void append_row(std::string& out, const contest& c, const std::string& board, const standings_row& row) {
    out += "{\"id\":";
    append_json_string(out, row.id);
    bool team_board = c.is_team_board(board);
    const team* t = team_board ? c.find_team(row.id) : nullptr;
    const participant* p = team_board ? nullptr : c.find_participant(row.id);
    if (t) out += ",\"kind\":\"" + std::string(to_string(t->kind)) + "\"";
    out += ",\"name\":";
    append_json_string(out, c.member_name(board, row.id, "en"));
    if (t) {
        out += ",\"name_zh\":";
        append_json_string(out, t->name.zh);
    }
    out += ",\"points\":" + format_centi(row.points) + ",\"rank\":" + std::to_string(row.rank) +
           ",\"reached_at\":\"" + format_rfc3339(row.reached_at) + "\"";
    if (p) {
        out += ",\"teams\":{";
        bool first = true;
        for (auto kind : all_team_kinds)
            if (const team* member_of = team_of_kind(c, *p, kind)) {
                out += first ? "\"" : ",\"";
                out += std::string(to_string(kind)) + "\":";
                append_json_string(out, member_of->id);
                first = false;
            }
        out += "}";
    }
    out += "}";
}

}  // namespace

std::string standings_to_json(const contest& c, const standings_page& page) {
    std::string out = "{\"board\":";
    append_json_string(out, page.board);
    out += ",\"contest\":";
    append_json_string(out, c.id);
    out += std::string(",\"frozen\":") + (page.frozen ? "true" : "false") + ",\"generated_at\":\"" +
           format_rfc3339(page.generated_at) + "\",\"rows\":[";
    out.reserve(out.size() + page.rows.size() * 160);
    for (std::size_t i = 0; i < page.rows.size(); ++i) {
        if (i) out += ',';
        append_row(out, c, page.board, page.rows[i]);
    }
    out += "],\"total\":" + std::to_string(page.total) + "}";
    return out;
}

std::string standings_to_csv(const contest& c, const standings_page& page) {
    bool teams = c.is_team_board(page.board);
    std::string out = teams ? "rank,id,name,points,reached_at,kind\r\n" : "rank,id,name,points,reached_at,city,school,company\r\n";
    out.reserve(out.size() + page.rows.size() * 80);
    for (const auto& row : page.rows) {
        out += std::to_string(row.rank) + "," + csv_field(row.id) + "," + csv_field(c.member_name(page.board, row.id)) +
               "," + format_centi(row.points) + "," + format_rfc3339(row.reached_at);
        if (teams) {
            const team* t = c.find_team(row.id);
            out += std::string(",") + (t ? to_string(t->kind) : "");
        } else {
            const participant* p = c.find_participant(row.id);
            for (auto kind : all_team_kinds) {
                const team* t = p ? team_of_kind(c, *p, kind) : nullptr;
                out += "," + (t ? csv_field(t->id) : std::string());
            }
        }
        out += "\r\n";
    }
    return out;
}

void read_participant(redis_executor& redis, const contest& c, const participant& p, bool public_view,
                      unix_seconds now, json_handler done) {
    auto hidden_from = public_view ? c.frozen_since(now) : std::nullopt;  // awards from the freeze on stay hidden
    std::vector<std::string> boards{"participants"};
    for (const auto& board : c.boards())
        if (board.starts_with("component:")) boards.push_back(board);
    redis_command ranks{{"0", keys::prefix(c.id), board_view(c, public_view, now), p.id}, &read_member_script()};
    ranks.argv.insert(ranks.argv.end(), boards.begin(), boards.end());
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

bool valid_stream_id(std::string_view text) {
    auto digits = [](std::string_view part) {
        return !part.empty() && part.size() <= 20 && part.find_first_not_of("0123456789") == std::string_view::npos;
    };
    auto dash = text.find('-');
    if (dash == std::string_view::npos) return digits(text);
    return digits(text.substr(0, dash)) && digits(text.substr(dash + 1));
}

nlohmann::json event_to_json(const std::string& id, const std::string& record_json, const std::string& previous_points) {
    auto read = read_award_record(record_json);
    if (!read) return {{"id", id}, {"error", "unreadable record"}};
    const award& a = *read;
    centi previous = 0;
    std::from_chars(previous_points.data(), previous_points.data() + previous_points.size(), previous);
    nlohmann::json event{{"id", id}, {"subject", a.subject}, {"kind", a.kind}, {"component", a.component},
                         {"participant", a.participant.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.participant)},
                         {"points", points_json(a.points)}, {"delta", points_json(a.points - previous)},
                         {"at", format_rfc3339(a.at)}, {"reason", a.reason}, {"details", a.details}};
    if (!a.pending_login.empty()) event["unattributed_login"] = a.pending_login;
    return event;
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
            out += event_to_json(entry.elements[0].text, record, previous).dump() + "\n";
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
