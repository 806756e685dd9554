// The webhook routes: the router has matched the route and checked the headers'
// text; the receiver verifies the signature before anything else.
#include <nlohmann/json.hpp>

#include "api/handlers.hpp"

namespace lb::gateway {

namespace {

void receive(route_call& call, respond_fn respond, bool github) {
    webhooks::hook_input input{std::move(call.request.content_type), std::move(call.request.headers), std::move(call.request.body)};
    auto answer = [respond = std::move(respond)](webhooks::hook_answer a) { respond(json_ok(a.body, a.status)); };
    if (github) call.app.receiver->receive_github(std::move(input), std::move(answer));
    else call.app.receiver->receive_gitee(std::move(input), std::move(answer));
}

}  // namespace

void github_hook(route_call& call, respond_fn respond) { receive(call, std::move(respond), true); }
void gitee_hook(route_call& call, respond_fn respond) { receive(call, std::move(respond), false); }

}  // namespace lb::gateway
