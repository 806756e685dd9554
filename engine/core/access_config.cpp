#include "access_config.hpp"

#include <regex>

#include "sign_in.hpp"

namespace lb::engine {
namespace {

using json = nlohmann::json;

const std::regex env_name("[A-Za-z_][A-Za-z0-9_]*");
const std::regex client_id_shape("[A-Za-z0-9_.~-]{1,200}");
const std::regex ip_shape("[0-9A-Fa-f.:]{2,45}");

void load_rate(json_reader& r, const json& limits, const char* key, client_rate& out) {
    const json* rule = r.member(limits, "server.limits", key, false);
    auto path = std::string("server.limits.") + key;
    if (!rule || !r.object(*rule, path)) return;
    for (auto [name, into] : {std::pair{"per_minute", &out.per_minute}, std::pair{"burst", &out.burst}}) {
        auto value = r.number(*rule, path, name, false);
        if (!value) continue;
        if (*value < 0 || *value > 1000000) r.fail(path + "." + name, "expected a number from 0 to 1000000");
        else *into = *value;
    }
    if (out.burst < 1) r.fail(path + ".burst", "expected at least 1 (a client may always do one thing)");
}

// An endpoint of a sign-in app: http(s) only, so a stand-in can replace the host in tests.
void load_url(json_reader& r, const json& app, const std::string& path, const char* key, std::string& out) {
    auto url = r.string(app, path, key, false);
    if (!url) return;
    if (!url->starts_with("https://") && !url->starts_with("http://")) r.fail(path + "." + key, "expected an http:// or https:// URL");
    else out = *url;
}

}  // namespace

void load_server(json_reader& r, const json& node, config& out) {
    const json* server = r.member(node, "", "server", false);
    if (!server || !r.object(*server, "server")) return;
    if (auto max = r.number(*server, "server", "max_connections", false)) {
        if (*max < 1 || *max > 1000000 || *max != static_cast<double>(static_cast<long long>(*max)))
            r.fail("server.max_connections", "expected a whole number from 1 to 1000000");
        else out.server.max_connections = static_cast<long long>(*max);
    }
    if (const json* proxies = r.array(*server, "server", "trusted_proxies", false)) {
        for (std::size_t i = 0; i < proxies->size(); ++i) {
            const json& p = (*proxies)[i];
            if (!p.is_string() || !std::regex_match(p.get<std::string>(), ip_shape))
                r.fail("server.trusted_proxies[" + std::to_string(i) + "]", "expected an IP address such as \"127.0.0.1\"");
            else out.server.trusted_proxies.push_back(p.get<std::string>());
        }
    }
    const json* limits = r.member(*server, "server", "limits", false);
    if (!limits || !r.object(*limits, "server.limits")) return;
    load_rate(r, *limits, "public_writes", out.server.public_writes);
    load_rate(r, *limits, "failed_credentials", out.server.failed_credentials);
}

void load_sign_in(json_reader& r, const json& community, community_settings& out) {
    if (auto approval = r.string(community, "community", "approval", false)) {
        if (*approval == "always") out.approve_proven = false;
        else if (*approval == "unless_proven") out.approve_proven = true;
        else r.fail("community.approval", "expected \"always\" or \"unless_proven\"");
    }
    const json* apps = r.member(community, "community", "sign_in", false);
    if (!apps || !r.object(*apps, "community.sign_in")) return;
    for (const auto& [host_id, app] : apps->items()) {
        auto path = "community.sign_in." + host_id;
        const auto* defaults = sign_in_defaults_of(host_id);
        if (!defaults) {
            r.fail(path, "expected a host that offers sign-in: " + sign_in_host_list());
            continue;
        }
        if (!r.object(app, path)) continue;
        sign_in_app a;
        a.authorize_url = defaults->authorize_url;
        a.token_url = defaults->token_url;
        a.api_url = find_host(host_id)->api_url;
        auto id = r.string(app, path, "client_id", true);
        if (id && !std::regex_match(*id, client_id_shape)) r.fail(path + ".client_id", "expected the app's client id (letters, digits, '_', '.', '~', '-')");
        a.client_id = id.value_or("");
        auto env = r.string(app, path, "client_secret_env", true);
        if (env && !std::regex_match(*env, env_name))
            r.fail(path + ".client_secret_env", "expected the name of an environment variable (the secret itself never goes in this file)");
        a.client_secret_env = env.value_or("");
        load_url(r, app, path, "authorize_url", a.authorize_url);
        load_url(r, app, path, "token_url", a.token_url);
        load_url(r, app, path, "api_url", a.api_url);
        out.sign_in.emplace(host_id, std::move(a));
    }
}

}  // namespace lb::engine
