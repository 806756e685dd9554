#pragma once
// The chapter row with this id in an operations report (a contest's or a season's).
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

inline const nlohmann::json& row(const nlohmann::json& report, const std::string& id) {
    for (const auto& r : report["chapters"])
        if (r["id"] == id) return r;
    FAIL("no row " << id);
    static nlohmann::json none;
    return none;
}
