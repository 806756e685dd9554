// Freeze, unfreeze and recompute.
#include <thread>

#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "api/handlers.hpp"
#include "app/contest_sync.hpp"
#include "lua_script.hpp"
#include "recompute.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

using nlohmann::json;

namespace {

// KEYS[1] manual freeze, KEYS[2] unfrozen flag, KEYS[3] frozen boards, KEYS[4] audit.
// ARGV[1] contest prefix, ARGV[2] "freeze" or "unfreeze", ARGV[3] now (s), ARGV[4]
// "1" when freeze_at has passed, ARGV[5] audit entry. Returns "applied" or "unchanged".
const engine::lua_script& freeze_script() {
    static const engine::lua_script script(R"LUA(
local frozen = (ARGV[4] == '1' or redis.call('EXISTS', KEYS[1]) == 1) and redis.call('EXISTS', KEYS[2]) == 0
if ARGV[2] == 'freeze' then
  if frozen then return 'unchanged' end
  redis.call('SET', KEYS[1], ARGV[3])
  redis.call('DEL', KEYS[2])
  -- Copies from an earlier freeze are stale: the next change takes fresh ones.
  for _, board in ipairs(redis.call('SMEMBERS', KEYS[3])) do redis.call('DEL', ARGV[1] .. 'frozen:' .. board) end
  redis.call('DEL', KEYS[3])
else
  if not frozen then return 'unchanged' end
  redis.call('SET', KEYS[2], ARGV[3])
  redis.call('DEL', KEYS[1])
end
redis.call('XADD', KEYS[4], '*', 'entry', ARGV[5])
return 'applied'
)LUA");
    return script;
}

json score_json(const engine::contest& c, const std::string& score) {
    if (score.empty()) return nullptr;
    auto key = engine::decode_rank_score(std::stod(score), c.starts_at);
    return {{"points", engine::points_json(key.points)}, {"reached_at", engine::format_rfc3339(key.reached_at)}};
}

void set_freeze(route_call& call, bool freeze, respond_fn respond) {
    const auto& c = call.c();
    auto action = read_body_action(call, false);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    auto now = engine::now_seconds();
    auto audit = audit_entry(std::get<admin_action>(action), freeze ? "freeze" : "unfreeze");
    engine::redis_command command{{"4", engine::keys::manual_freeze(c.id), engine::keys::unfrozen(c.id), engine::keys::frozen_boards(c.id),
                                   engine::keys::audit(c.id), engine::keys::prefix(c.id), freeze ? "freeze" : "unfreeze",
                                   std::to_string(now), engine::freeze_time_passed(c, now) ? "1" : "0", engine::to_text(audit)},
                                  &freeze_script()};
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
    auto action = read_body_action(call, false);
    if (auto* refusal = std::get_if<api_response>(&action)) return respond(std::move(*refusal));
    auto audit = audit_entry(std::get<admin_action>(action), dry_run ? "recompute_dry_run" : "recompute");
    // The rebuild reads the whole ledger with blocking calls: it gets its own thread and connection.
    std::thread([endpoint = call.app.redis_endpoint, &c, dry_run, audit, respond = std::move(respond)] {
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
            respond(json_ok({{"dry_run", dry_run}, {"awards", report.awards}, {"rederived", report.rederived},
                             {"changes_total", report.changes.size()}, {"changes", changes}}));
        } catch (const std::exception& error) {
            respond(json_error(503, "recompute_failed", error.what()));
        }
    }).detach();
}

}  // namespace lb::gateway
