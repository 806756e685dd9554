#include "api/idempotency.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "lua_script.hpp"
#include "store_keys.hpp"
#include "untrusted_json.hpp"

namespace lb::gateway {

namespace {

constexpr const char* claim_prefix = "claim:";
constexpr const char* keep_seconds = "86400";
constexpr const char* claim_milliseconds = "120000";  // a write that never answered frees its key after this

api_response replay(const std::string& route, const std::string& record) {
    if (record.starts_with(claim_prefix)) {
        auto busy = json_error(409, "in_progress", "a request with this Idempotency-Key is still being answered; retry shortly");
        busy.headers.emplace_back("Retry-After", "1");
        return busy;
    }
    auto stored = engine::parse_untrusted_json(record);
    auto kept_route = stored.ok() ? engine::string_at(stored.value, "route") : std::nullopt;
    if (!kept_route || *kept_route != route)
        return json_error(422, "idempotency_key_reused", "this Idempotency-Key was used for another request");
    api_response answer{static_cast<int>(engine::integer_at(stored.value, "status").value_or(200)),
                        engine::string_at(stored.value, "content_type").value_or("application/json"),
                        engine::string_at(stored.value, "body").value_or(""), {{"Idempotent-Replayed", "true"}}};
    return answer;
}

}  // namespace

bool valid_idempotency_key(const std::string& key) {
    return !key.empty() && key.size() <= 200 && std::all_of(key.begin(), key.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
               ch == ':' || ch == '-';
    });
}

void once_per_key(std::shared_ptr<route_call> call, const std::string& key, respond_fn respond,
                  std::function<void(std::shared_ptr<route_call>, respond_fn)> write) {
    if (!valid_idempotency_key(key))
        return respond(json_error(400, "bad_header", "idempotency-key: expected 1 to 200 letters, digits, '_', '.', ':' or '-'"));
    auto record_key = engine::keys::idempotency(call->c().id, key);
    std::string route = call->request.method + " " + call->request.target.substr(0, call->request.target.find('?'));
    auto& redis = call->app.redis;
    redis.execute({{{"1", record_key, claim_prefix + route, claim_milliseconds}, &engine::claim_idempotency_script()}},
                  [&redis, call, record_key, route, respond = std::move(respond), write = std::move(write)](
                      std::vector<engine::redis_value> replies) mutable {
        const auto& reply = replies.at(0);
        if (reply.is_error()) return respond(redis_failure(reply.text));
        if (reply.elements.size() == 2) return respond(replay(route, reply.elements[1].text));
        write(call, [&redis, record_key, route, respond](api_response answer) {
            engine::redis_command keep = answer.status >= 500
                ? engine::redis_command{{"DEL", record_key}}
                : engine::redis_command{{"SET", record_key,
                                         engine::to_text({{"route", route}, {"status", answer.status},
                                                          {"content_type", answer.content_type}, {"body", answer.body}}),
                                         "EX", keep_seconds}};
            redis.execute({std::move(keep)}, [respond, answer = std::move(answer)](std::vector<engine::redis_value>) mutable {
                respond(std::move(answer));
            });
        });
    });
}

}  // namespace lb::gateway
