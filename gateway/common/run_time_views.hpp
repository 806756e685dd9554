#pragma once
// What the routes ask of the process's background parts, as interfaces: the app room
// implements them (contest_sync, delivery_health) and the api room only sees these, so the
// routes never depend on how the process is put together.
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "contest.hpp"

namespace lb::gateway {

// Re-reads one contest's run-time state (roster, chapter moves, freeze) now, after a route
// changed it; done(error) once this process sees it ("" when it does).
class roster_refresh {
public:
    virtual ~roster_refresh() = default;
    virtual void refresh(const engine::contest& c, std::function<void(std::string)> done) = 0;
};

// The webhook outcomes of the last hour per host and repository, for the console.
class webhook_health {
public:
    virtual ~webhook_health() = default;
    virtual nlohmann::json snapshot(long long now_seconds) const = 0;
};

}  // namespace lb::gateway
