#pragma once
// A config the unit tests build from JSON, required to load without a problem (each one named).
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "config_loader.hpp"

namespace lb::test {

inline constexpr engine::unix_seconds day = 86400;
inline constexpr engine::unix_seconds december_first = 1796083200;  // 2026-12-01T00:00:00Z

inline engine::config loaded_config(const nlohmann::json& document) {
    auto result = engine::load_config(document);
    std::string errors;
    for (const auto& e : result.errors) errors += e.to_string() + "\n";
    REQUIRE_MESSAGE(result.errors.empty(), errors);
    return std::move(result.value);
}

}  // namespace lb::test
