// Seasons (contests grouped with weights, engine/core/seasons.hpp): their list and boards.
#include <nlohmann/json.hpp>

#include "api/community_common.hpp"
#include "api/handlers.hpp"
#include "api/season_cache.hpp"
#include "clock.hpp"
#include "people_store.hpp"
#include "season_read.hpp"
#include "seasons.hpp"
#include "standings.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

json season_view(const engine::config& cfg, const engine::season& s) {
    json contests = json::array();
    for (const auto& entry : s.contests) {
        const engine::contest* c = cfg.find_contest(entry.contest);
        contests.push_back({{"id", entry.contest}, {"weight", entry.weight},
                            {"title", {{"en", c ? c->title.en : entry.contest}, {"zh", c ? c->title.zh : entry.contest}}}});
    }
    return {{"id", s.id}, {"title", {{"en", s.title.en}, {"zh", s.title.zh}}}, {"contests", std::move(contests)},
            {"boards", {"people", "chapters:city", "chapters:school", "chapters:company"}}};
}

}  // namespace

const engine::season* season_param(const route_call& call, respond_fn& respond) {
    const auto& id = call.param("season");
    const engine::season* s = call.app.config().find_season(id);
    if (!s) respond(json_error(404, "unknown_season", "season: no season has the id \"" + id.substr(0, 64) + "\""));
    return s;
}

void list_seasons(route_call& call, respond_fn respond) {
    json out = json::array();
    const auto& cfg = call.app.config();
    for (const auto& s : cfg.seasons) out.push_back(season_view(cfg, s));
    respond(json_ok({{"seasons", std::move(out)}}));
}

void season_standings(route_call& call, respond_fn respond) {
    if (community_closed(call, respond)) return;
    const auto& cfg = call.app.config();
    const engine::season* s = season_param(call, respond);
    if (!s) return;
    auto board = call.query("board", "people");
    std::string kind;
    if (!engine::season_board(board, kind))
        return respond(json_error(404, "unknown_board", "board: expected people, chapters:city, chapters:school or chapters:company"));
    auto format = call.query("format", "json");
    if (format != "json" && format != "csv") return respond(json_error(400, "bad_query", "format: expected json or csv"));
    auto limit = parse_bounded(call.query("limit", "100"), 1, engine::max_standings_limit);
    auto offset = parse_bounded(call.query("offset", "0"), 0, 1'000'000'000);
    if (!limit) return respond(json_error(400, "bad_query", "limit: expected an integer from 1 to 1000000"));
    if (!offset) return respond(json_error(400, "bad_query", "offset: expected a non-negative integer"));
    engine::season_page_query query{board, *offset, *limit, !call.who.admin};
    auto answer = [format, respond = std::move(respond)](std::shared_ptr<const json> page, std::string error) {
        if (!page) return respond(redis_failure(error));
        if (format == "csv") return respond({200, "text/csv; charset=utf-8", engine::season_csv(*page), {}});
        respond(json_ok(*page));
    };
    if (call.app.seasons) return call.app.seasons->read(call.app.redis, cfg, *s, query, std::move(answer));
    engine::read_season(call.app.redis, cfg, *s, query, engine::now_seconds(), [answer = std::move(answer)](auto page, std::string error) {
        answer(page ? std::make_shared<const json>(std::move(*page)) : nullptr, std::move(error));
    });
}

}  // namespace lb::gateway
