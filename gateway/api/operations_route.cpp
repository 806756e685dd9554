// The operations figures of a contest (engine/core/operations.hpp), per chapter of one kind,
// as JSON, or CSV (the chapters, or with table=daily the merges per day).
#include <nlohmann/json.hpp>

#include "api/community_common.hpp"
#include "api/handlers.hpp"
#include "clock.hpp"
#include "operations.hpp"
#include "operations_read.hpp"

namespace lb::gateway {

void contest_operations(route_call& call, respond_fn respond) {
    if (community_closed(call, respond)) return;
    const auto& c = call.c();
    std::optional<engine::team_kind> kind;
    auto asked = call.query("kind", "auto");
    if (asked != "auto") {
        kind = engine::parse_team_kind(asked);
        if (!kind) return respond(json_error(400, "bad_query", "kind: expected city, school, company or auto"));
    }
    for (const auto& t : c.members().teams())  // auto: the kind of the contest's first chapter
        if (!kind) kind = t.kind;
    auto format = call.query("format", "json");
    if (format != "json" && format != "csv") return respond(json_error(400, "bad_query", "format: expected json or csv"));
    auto table = call.query("table", "chapters");
    if (table != "chapters" && table != "daily") return respond(json_error(400, "bad_query", "table: expected chapters or daily"));
    engine::read_operations(call.app.redis, c, kind.value_or(engine::team_kind::city), engine::now_seconds(),
                            [format, table, respond = std::move(respond)](auto report, std::string error) {
                                if (!report) return respond(redis_failure(error));
                                if (format == "json") return respond(json_ok(*report));
                                auto body = table == "daily" ? engine::daily_merges_csv(*report) : engine::operations_csv(*report);
                                respond({200, "text/csv; charset=utf-8", std::move(body), {}});
                            });
}

}  // namespace lb::gateway
