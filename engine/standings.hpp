#pragma once
// Reading the boards back: standings pages, one participant's explanation,
// and the award log. Rendering is pure; reading goes through redis_executor.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contest.hpp"
#include "redis_types.hpp"

namespace lb::engine {

struct standings_row {
    long long rank = 0;  // 1-based, strict: ties are already broken
    std::string id;
    centi points = 0;
    unix_seconds reached_at = 0;
};

struct standings_page {
    std::string board;
    unix_seconds generated_at = 0;
    bool frozen = false;
    long long total = 0;
    std::vector<standings_row> rows;
};

struct standings_query {
    std::string board = "participants";
    long long offset = 0;
    long long limit = 100;
    bool public_view = true;  // false for admins: live boards during a freeze
};

inline constexpr long long max_standings_limit = 1'000'000;

using standings_handler = std::function<void(std::optional<standings_page>, std::string error)>;
void read_standings(redis_executor& redis, const contest& c, const standings_query& query, unix_seconds now,
                    standings_handler done);

nlohmann::json standings_row_to_json(const contest& c, const std::string& board, const standings_row& row);
// The export body; rows as standings_row_to_json renders them, written directly (a full
// 100,000-row export would otherwise spend most of its time building a JSON tree).
std::string standings_to_json(const contest& c, const standings_page& page);
std::string standings_to_csv(const contest& c, const standings_page& page);

// One participant: points and rank per board, and every award behind the total.
using json_handler = std::function<void(std::optional<nlohmann::json>, std::string error)>;
void read_participant(redis_executor& redis, const contest& c, const participant& p, bool public_view,
                      unix_seconds now, json_handler done);

// Award log entries after the given id ("" = from the start), as NDJSON lines.
// The public view hides entries logged after the freeze time.
using text_handler = std::function<void(std::optional<std::string>, std::string error)>;
void read_events(redis_executor& redis, const contest& c, const std::string& after, long long limit, bool public_view,
                 unix_seconds now, text_handler done);
// Whether text is a stream id we accept for "after": "<ms>-<seq>" or "<ms>".
bool valid_stream_id(std::string_view text);

// How a board member's points grew: one point per award, in award time order,
// {"board","id","points":[{"at","points","total","subject"}...]}. For the page's chart.
void read_history(redis_executor& redis, const contest& c, const std::string& board, const std::string& member,
                  bool public_view, unix_seconds now, json_handler done);

nlohmann::json event_to_json(const std::string& id, const std::string& record_json, const std::string& previous_points);

}  // namespace lb::engine
