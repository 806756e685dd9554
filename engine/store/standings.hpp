#pragma once
// Reading the boards back: standings pages, one participant's explanation,
// and the award log, through redis_executor (core/standings_render.hpp renders them).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "standings_render.hpp"
#include "redis_types.hpp"

namespace lb::engine {

struct standings_query {
    std::string board = "participants";
    long long offset = 0;
    long long limit = 100;
    bool public_view = true;  // false for admins: live boards during a freeze
};

inline constexpr long long max_standings_limit = 1'000'000;

// One member's rank and score on each of the boards (public or live view): the reply is one
// {rank (0-based) or -1, score or ""} per board.
redis_command read_member_command(const contest& c, bool public_view, unix_seconds now, const std::string& member,
                                  const std::vector<std::string>& boards);

using standings_handler = std::function<void(std::optional<standings_page>, std::string error)>;
void read_standings(redis_executor& redis, const contest& c, const standings_query& query, unix_seconds now,
                    standings_handler done);

// One participant: points and rank per board, and every award behind the total.
using json_handler = std::function<void(std::optional<nlohmann::json>, std::string error)>;
void read_participant(redis_executor& redis, const contest& c, const participant& p, bool public_view,
                      unix_seconds now, json_handler done);

// Award log entries after the given id ("" = from the start), as NDJSON lines.
// The public view hides entries logged after the freeze time.
using text_handler = std::function<void(std::optional<std::string>, std::string error)>;
void read_events(redis_executor& redis, const contest& c, const std::string& after, long long limit, bool public_view,
                 unix_seconds now, text_handler done);

// How a board member's points grew: one point per award, in award time order,
// {"board","id","points":[{"at","points","total","subject"}...]}. For the page's chart.
void read_history(redis_executor& redis, const contest& c, const std::string& board, const std::string& member,
                  bool public_view, unix_seconds now, json_handler done);

}  // namespace lb::engine
