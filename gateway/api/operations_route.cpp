// The operations figures of a contest (engine/core/operations.hpp) or of a season
// (engine/core/season_operations.hpp), per chapter of one kind, as JSON, or CSV (the chapters,
// or with table=daily the merges per day).
#include <nlohmann/json.hpp>

#include "api/community_common.hpp"
#include "api/handlers.hpp"
#include "clock.hpp"
#include "operations.hpp"
#include "operations_read.hpp"
#include "season_operations_read.hpp"

namespace lb::gateway {

namespace {

struct operations_query {
    engine::team_kind kind = engine::team_kind::city;
    std::string format, table;
};

// kind (auto: the kind of the first chapter the contests' rosters have), format and table; false
// once it has answered a bad one.
bool read_operations_query(route_call& call, const std::vector<const engine::contest*>& contests, operations_query& out,
                           const respond_fn& respond) {
    std::optional<engine::team_kind> kind;
    auto asked = call.query("kind", "auto");
    if (asked != "auto") {
        kind = engine::parse_team_kind(asked);
        if (!kind) return respond(json_error(400, "bad_query", "kind: expected city, school, company or auto")), false;
    }
    for (const auto* c : contests)
        for (const auto& t : c->members().teams())
            if (!kind) kind = t.kind;
    out.kind = kind.value_or(engine::team_kind::city);
    out.format = call.query("format", "json");
    if (out.format != "json" && out.format != "csv") return respond(json_error(400, "bad_query", "format: expected json or csv")), false;
    out.table = call.query("table", "chapters");
    if (out.table != "chapters" && out.table != "daily")
        return respond(json_error(400, "bad_query", "table: expected chapters or daily")), false;
    return true;
}

auto answer(operations_query query, respond_fn respond) {
    return [query, respond = std::move(respond)](std::optional<nlohmann::json> report, std::string error) {
        if (!report) return respond(redis_failure(error));
        if (query.format == "json") return respond(json_ok(*report));
        auto body = query.table == "daily" ? engine::daily_merges_csv(*report) : engine::operations_csv(*report);
        respond({200, "text/csv; charset=utf-8", std::move(body), {}});
    };
}

}  // namespace

void contest_operations(route_call& call, respond_fn respond) {
    if (community_closed(call, respond)) return;
    const auto& c = call.c();
    operations_query query;
    if (!read_operations_query(call, {&c}, query, respond)) return;
    engine::read_operations(call.app.redis, c, query.kind, engine::now_seconds(), answer(query, std::move(respond)));
}

void season_operations(route_call& call, respond_fn respond) {
    if (community_closed(call, respond)) return;
    const auto& cfg = call.app.config();
    const engine::season* s = season_param(call, respond);
    if (!s) return;
    std::vector<const engine::contest*> contests;
    for (const auto& entry : s->contests)
        if (const auto* c = cfg.find_contest(entry.contest)) contests.push_back(c);
    operations_query query;
    if (!read_operations_query(call, contests, query, respond)) return;
    engine::read_season_operations(call.app.redis, cfg, *s, query.kind, engine::now_seconds(), answer(query, std::move(respond)));
}

}  // namespace lb::gateway
