// The webhook routes: the router has matched the route and checked the headers'
// text; the receiver verifies the signature before anything else.
#include <nlohmann/json.hpp>

#include "api/handlers.hpp"

namespace lb::gateway {

namespace {

}  // namespace

// The host table as pages need it: which hosts this community receives merges from (a
// webhooks block in the config), their names and login lengths. Nothing secret.
void list_hosts(route_call& call, respond_fn respond) {
    nlohmann::json hosts = nlohmann::json::array();
    for (const auto& host : engine::all_hosts())
        hosts.push_back({{"id", host.id}, {"name", host.display_name}, {"configured", call.app.config().webhooks.of(host.id).configured},
                         {"login_max", host.login_max}, {"web_url", host.web_url}});
    respond(json_ok({{"hosts", hosts}}));
}

// One route for every host of the table: the receiver reads each host's own headers and body.
void host_hook(route_call& call, respond_fn respond) {
    const auto* host = engine::find_host(call.param("host"));
    if (!host) return respond(json_error(404, "unknown_host", "host: expected " + engine::host_list()));
    webhooks::hook_input input{std::move(call.request.content_type), std::move(call.request.headers), std::move(call.request.body)};
    // AtomGit's hooks prove themselves with Basic credentials.
    if (!call.request.authorization.empty()) input.headers["authorization"] = std::move(call.request.authorization);
    call.app.receiver->receive(*host, std::move(input),
                               [respond = std::move(respond)](webhooks::hook_answer a) { respond(json_ok(a.body, a.status)); });
}

}  // namespace lb::gateway
