#pragma once
// Every HTTP route, declared once: method, path pattern, who may call it, body
// limit, which server roles serve it, handler. 404 and 405 come from the table,
// and so does the metric label (the pattern, never text from the request). Pure.
#include <cstddef>
#include <string>
#include <optional>
#include <string_view>
#include <vector>

#include "common/api_types.hpp"

namespace lb::gateway {

struct route_call;

enum class access {
    anyone,       // public; webhooks check their own signatures
    participant,  // a participant's submission token (Bearer), checked against the store
    judge,        // a judge's or the admin's token
    admin,        // the admin token
};

// What a `serve` process does: everything, only receive webhooks, or everything but that.
enum class process_role { all, webhooks, gateway };
std::optional<process_role> parse_process_role(std::string_view text);
const char* to_string(process_role role);
// Whether a process of this role answers routes served by `who`.
enum class served_by { every_role, receivers, gateways };
bool serves(process_role role, served_by who);

using route_handler = void (*)(route_call& call, respond_fn respond);

struct route {
    std::string_view method;   // a GET route also answers HEAD
    std::string_view pattern;  // "/api/contests/{contest}/participants/{pid}/tokens"
    access who;
    std::size_t body_limit;
    served_by role;
    route_handler handler;
};

struct route_match {
    const route* found = nullptr;
    int status = 0;                            // 404 (no such path) or 405 (not with this method) when not found
    std::string allowed;                       // for 405: "GET, POST"
    std::vector<std::pair<std::string_view, std::string>> params;  // {name} -> decoded segment
};

class route_table {
public:
    explicit route_table(std::vector<route> routes);

    // The most specific pattern for the path (a literal segment beats a {param}), then
    // the route with that pattern for the method.
    route_match match(std::string_view method, const std::vector<std::string>& segments) const;
    const std::vector<route>& routes() const { return routes_; }

private:
    struct compiled {
        std::vector<std::string_view> segments;
        std::vector<bool> literal;
    };
    std::vector<route> routes_;
    std::vector<compiled> patterns_;  // one per route, same order
};

// Splits "/a/{b}/c" into its segments ("" for "/").
std::vector<std::string_view> pattern_segments(std::string_view pattern);

}  // namespace lb::gateway
