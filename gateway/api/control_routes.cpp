// Freeze, unfreeze and recompute.
#include <atomic>
#include <chrono>
#include <thread>

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "api/handlers.hpp"
#include "api/side_threads.hpp"
#include "lua_script.hpp"
#include "recompute.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"
#include "untrusted_json.hpp"
#include "clock.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

json score_json(const engine::contest& c, const std::string& score) {
    if (score.empty()) return nullptr;
    auto key = engine::decode_rank_score(std::stod(score), c.starts_at);
    return {{"points", engine::points_json(key.points)}, {"reached_at", engine::format_rfc3339(key.reached_at)}};
}

void set_freeze(route_call& call, bool freeze, respond_fn respond) {
    const auto& c = call.c();
    if (c.is_final()) return respond(final_refusal(c));
    auto action = read_body_action(call, false);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    auto now = engine::now_seconds();
    auto audit = audit_entry(std::get<admin_action>(action), freeze ? "freeze" : "unfreeze");
    auto boards = c.boards();
    engine::redis_command command{{std::to_string(4 + boards.size()), engine::keys::manual_freeze(c.id), engine::keys::unfrozen(c.id),
                                   engine::keys::frozen_boards(c.id), engine::keys::audit(c.id)},
                                  &engine::freeze_script()};
    for (const auto& board : boards) command.argv.push_back(engine::keys::frozen_board(c.id, board));
    for (const auto& arg : {std::string(freeze ? "freeze" : "unfreeze"), std::to_string(now),
                            std::string(engine::freeze_time_passed(c, now) ? "1" : "0"), engine::to_text(audit)})
        command.argv.push_back(arg);
    auto& app = call.app;
    app.redis.execute({std::move(command)}, [&app, &c, freeze, respond = std::move(respond)](std::vector<engine::redis_value> replies) {
        if (replies.at(0).is_error()) return respond(redis_failure(replies[0].text));
        std::string outcome = replies[0].text;
        app.sync->refresh(c, [freeze, outcome, respond](std::string error) {
            if (!error.empty()) return respond(redis_failure(error));
            respond(json_ok({{"frozen", freeze}, {"outcome", outcome}}));
        });
    });
}

}  // namespace

void freeze(route_call& call, respond_fn respond) { set_freeze(call, true, std::move(respond)); }
void unfreeze(route_call& call, respond_fn respond) { set_freeze(call, false, std::move(respond)); }

void recompute_boards(route_call& call, respond_fn respond) {
    const auto& c = call.c();
    auto dry = call.query("dry_run", "0");
    bool dry_run = dry != "0" && dry != "false";
    if (c.is_final() && !dry_run) return respond(final_refusal(c));
    auto action = read_body_action(call, false);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    auto audit = audit_entry(std::get<admin_action>(action), dry_run ? "recompute_dry_run" : "recompute");
    // The rebuild reads the whole ledger with blocking calls: it gets its own thread and connection.
    run_on_side_thread([endpoint = call.app.redis_endpoint, &c, dry_run, audit, respond = std::move(respond)]() mutable {
        // The answer (and the session it holds) is released before the count drops.
        auto answer = [&respond](api_response r) {
            auto once = std::move(respond);
            once(std::move(r));
        };
        try {
            engine::sync_redis redis(endpoint);
            auto report = engine::recompute(redis, c, dry_run);
            redis.run({"XADD", engine::keys::audit(c.id), "*", "entry", engine::to_text(audit)});
            json changes = json::array();
            for (const auto& change : report.changes) {
                if (changes.size() == 1000) break;
                changes.push_back({{"board", change.board}, {"member", change.member}, {"before", score_json(c, change.before)},
                                   {"after", score_json(c, change.after)}});
            }
            answer(json_ok({{"dry_run", dry_run}, {"awards", report.awards}, {"rederived", report.rederived},
                             {"caught_up", report.caught_up}, {"held_ms", static_cast<long long>(report.held_seconds * 1000)},
                             {"changes_total", report.changes.size()}, {"changes", changes}}));
        } catch (const engine::recompute_busy& busy) {
            answer(json_error(409, "recompute_in_progress", busy.what()));
        } catch (const std::exception& error) {
            answer(json_error(503, "recompute_failed", error.what()));
        }
    });
}

}  // namespace lb::gateway
