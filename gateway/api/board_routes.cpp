// Public reads: standings, one participant, the award log, a member's history.
// An admin token sees the live boards during a freeze.
#include <nlohmann/json.hpp>

#include "api/handlers.hpp"
#include "certificate_store.hpp"
#include "crypto.hpp"
#include "standings.hpp"
#include "clock.hpp"

namespace lb::gateway {

void standings(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    engine::standings_query query;
    query.public_view = !call.who.admin;
    query.board = call.query("board", "participants");
    if (!c.has_board(query.board))
        return respond(json_error(404, "unknown_board", "contest \"" + c.id + "\" has no board \"" + query.board + "\""));
    auto limit = parse_bounded(call.query("limit", "100"), 1, engine::max_standings_limit);
    auto offset = parse_bounded(call.query("offset", "0"), 0, 1'000'000'000);
    auto format = call.query("format", "json");
    if (!limit) return respond(json_error(400, "bad_query", "limit: expected an integer from 1 to 1000000"));
    if (!offset) return respond(json_error(400, "bad_query", "offset: expected a non-negative integer"));
    if (format != "json" && format != "csv") return respond(json_error(400, "bad_query", "format: expected json or csv"));
    query.limit = *limit;
    query.offset = *offset;
    auto& redis = call.app.redis;
    engine::read_standings(redis, c, query, engine::now_seconds(),
                           [&redis, &c, format, respond = std::move(respond)](auto page, std::string error) {
                               if (!page) return respond(redis_failure(error));
                               // Final standings are the standings at the end: the same document, and
                               // checksum, whenever they are fetched.
                               if (c.is_final()) page->generated_at = c.ends_at;
                               if (format == "csv") {
                                   api_response csv{200, "text/csv; charset=utf-8", engine::standings_to_csv(c, *page), {}};
                                   if (c.is_final()) {
                                       csv.headers.emplace_back("X-Standings-Final", "true");
                                       csv.headers.emplace_back("X-Standings-Checksum", "sha256:" + engine::sha256_hex(csv.body));
                                   }
                                   return respond(std::move(csv));
                               }
                               auto text = engine::standings_to_json(c, *page);
                               if (!c.is_final()) return respond({200, "application/json", std::move(text), {}});
                               // The checksum covers the document without it, keys sorted, no spaces.
                               auto document = nlohmann::json::parse(text);
                               document["final"] = true;
                               bool individuals = document.value("board", "") == "participants";
                               // The placings the config names, given with the final ranks of the individuals.
                               if (individuals && document.contains("rows"))
                                   for (auto& row : document["rows"])
                                       if (const auto* p = c.placing_for(row.value("rank", 0LL)))
                                           row["placing"] = {{"en", p->title.en}, {"zh", p->title.zh}};
                               auto seal = [](nlohmann::json& doc) {
                                   doc["checksum"] = "sha256:" + engine::sha256_hex(doc.dump());
                                   return api_response{200, "application/json", doc.dump(), {}};
                               };
                               if (!individuals || c.placings.empty()) return respond(seal(document));
                               // Every certificate issued, with the hash of its content: what makes a printed one verifiable.
                               engine::contest_certificates(redis, c, [document = std::move(document), seal, respond](std::vector<nlohmann::json> records, std::string failed) mutable {
                                   if (!failed.empty()) return respond(redis_failure(failed));
                                   auto listed = nlohmann::json::array();
                                   for (const auto& r : records)
                                       listed.push_back({{"id", r["id"]}, {"participant", r["participant"]}, {"rank", r["rank"]}, {"hash", r["hash"]}});
                                   document["certificates"] = std::move(listed);
                                   respond(seal(document));
                               });
                           });
}

void participant_detail(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    const auto& pid = call.param("pid");
    const engine::participant* p = c.find_participant(pid);
    if (!p) return respond(json_error(404, "unknown_participant", "contest \"" + c.id + "\" has no participant \"" + pid + "\""));
    engine::read_participant(call.app.redis, c, *p, !call.who.admin, engine::now_seconds(),
                             [respond = std::move(respond)](auto result, std::string error) {
                                 if (!result) return respond(redis_failure(error));
                                 respond(json_ok(*result));
                             });
}

void events(route_call& call, respond_fn respond) {
    std::string after = call.query("after");
    if (!after.empty() && !engine::valid_stream_id(after))
        return respond(json_error(400, "bad_query", "after: expected an event id such as 1764547200000-0"));
    auto limit = parse_bounded(call.query("limit", "1000"), 1, 10000);
    if (!limit) return respond(json_error(400, "bad_query", "limit: expected an integer from 1 to 10000"));
    engine::read_events(call.app.redis, call.c(), after, *limit, !call.who.admin, engine::now_seconds(),
                        [respond = std::move(respond)](auto text, std::string error) {
                            if (!text) return respond(redis_failure(error));
                            respond({200, "application/x-ndjson", std::move(*text), {}});
                        });
}

void history(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    std::string board = call.query("board", "participants");
    if (!c.has_board(board)) return respond(json_error(404, "unknown_board", "contest \"" + c.id + "\" has no board \"" + board + "\""));
    if (!call.target.query.count("member")) return respond(json_error(400, "bad_query", "member: required"));
    std::string member = call.query("member");
    bool known = c.is_team_board(board) ? c.find_team(member) != nullptr : c.find_participant(member) != nullptr;
    if (!known) return respond(json_error(404, "unknown_member", "\"" + member + "\" is not on board \"" + board + "\""));
    engine::read_history(call.app.redis, c, board, member, !call.who.admin, engine::now_seconds(),
                         [respond = std::move(respond)](auto result, std::string error) {
                             if (!result) return respond(redis_failure(error));
                             respond(json_ok(*result));
                         });
}

}  // namespace lb::gateway
