#include "api/route_table.hpp"

namespace lb::gateway {

std::vector<std::string_view> pattern_segments(std::string_view pattern) {
    std::vector<std::string_view> out;
    std::size_t start = 1;
    while (start < pattern.size()) {
        auto slash = pattern.find('/', start);
        out.push_back(pattern.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return out;
}

route_table::route_table(std::vector<route> routes) : routes_(std::move(routes)) {
    for (const auto& r : routes_) {
        compiled c;
        c.segments = pattern_segments(r.pattern);
        for (auto segment : c.segments) c.literal.push_back(!segment.starts_with('{'));
        patterns_.push_back(std::move(c));
    }
}

route_match route_table::match(std::string_view method, const std::vector<std::string>& segments) const {
    route_match out;
    const compiled* best = nullptr;
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        const auto& p = patterns_[i];
        if (p.segments.size() != segments.size()) continue;
        bool fits = true;
        for (std::size_t s = 0; s < segments.size() && fits; ++s) fits = !p.literal[s] || p.segments[s] == segments[s];
        if (fits && (!best || p.literal > best->literal)) best = &p;
    }
    if (!best) {
        out.status = 404;
        return out;
    }
    std::string_view wanted = method == "HEAD" ? "GET" : method;
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        if (patterns_[i].segments != best->segments) continue;
        if (routes_[i].method == wanted) {
            out.found = &routes_[i];
            for (std::size_t s = 0; s < segments.size(); ++s)
                if (!best->literal[s]) out.params.emplace_back(best->segments[s].substr(1, best->segments[s].size() - 2), segments[s]);
            return out;
        }
        out.allowed += (out.allowed.empty() ? "" : ", ") + std::string(routes_[i].method);
    }
    out.status = 405;
    return out;
}

std::optional<process_role> parse_process_role(std::string_view text) {
    if (text == "all") return process_role::all;
    if (text == "webhooks") return process_role::webhooks;
    if (text == "gateway") return process_role::gateway;
    return std::nullopt;
}

const char* to_string(process_role role) {
    switch (role) {
        case process_role::webhooks: return "webhooks";
        case process_role::gateway: return "gateway";
        case process_role::all: break;
    }
    return "all";
}

bool serves(process_role role, served_by who) {
    if (who == served_by::receivers) return role != process_role::gateway;
    if (who == served_by::gateways) return role != process_role::webhooks;
    return true;
}

}  // namespace lb::gateway
