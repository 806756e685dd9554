#pragma once
// Walks a JSON document, recording every problem with the path it was found
// at, so a configuration is validated whole and every error is reported.
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config_loader.hpp"

namespace lb::engine {

// An id the config may give a contest's member, model, component or assignment: letters, digits,
// '_', '.' or '-', 1 to 64, starting with a letter or digit (engine/core/config_loader.cpp).
bool is_plain_id(std::string_view text);

// "contests[2]": the path of an array's item, as errors name it.
inline std::string indexed_path(const std::string& path, std::size_t index) { return path + "[" + std::to_string(index) + "]"; }

class json_reader {
public:
    using json = nlohmann::json;

    explicit json_reader(std::vector<config_error>& errors) : errors_(errors) {}

    void fail(const std::string& path, std::string reason) { errors_.push_back({path, std::move(reason)}); }

    const json* member(const json& object, const std::string& path, const char* key, bool required) {
        auto it = object.find(key);
        if (it == object.end() || it->is_null()) {
            if (required) fail(path + "." + key, "is required");
            return nullptr;
        }
        return &*it;
    }

    std::optional<std::string> string(const json& object, const std::string& path, const char* key, bool required) {
        const json* value = member(object, path, key, required);
        if (!value) return std::nullopt;
        if (!value->is_string()) {
            fail(path + "." + key, "expected a string");
            return std::nullopt;
        }
        return value->get<std::string>();
    }

    std::optional<double> number(const json& object, const std::string& path, const char* key, bool required) {
        const json* value = member(object, path, key, required);
        if (!value) return std::nullopt;
        if (!value->is_number() || !std::isfinite(value->get<double>())) {
            fail(path + "." + key, "expected a number");
            return std::nullopt;
        }
        return value->get<double>();
    }

    std::optional<centi> points(const json& value, const std::string& path) {
        if (!value.is_number()) {
            fail(path, "expected a number");
            return std::nullopt;
        }
        auto parsed = to_centi(value.get<double>());
        if (!parsed) fail(path, "expected at most two decimals and a magnitude below 5,000,000");
        return parsed;
    }

    std::optional<centi> points(const json& object, const std::string& path, const char* key, bool required) {
        const json* value = member(object, path, key, required);
        return value ? points(*value, path + "." + key) : std::nullopt;
    }

    std::optional<unix_seconds> time(const json& object, const std::string& path, const char* key, bool required) {
        auto text = string(object, path, key, required);
        if (!text) return std::nullopt;
        auto parsed = parse_rfc3339(*text);
        if (!parsed) fail(path + "." + key, "expected an RFC 3339 time with offset, like 2026-12-01T00:00:00+08:00");
        return parsed;
    }

    std::optional<localized_text> text(const json& object, const std::string& path, const char* key) {
        const json* value = member(object, path, key, true);
        if (!value) return std::nullopt;
        if (value->is_string() && !value->get<std::string>().empty()) {
            auto s = value->get<std::string>();
            return localized_text{s, s};
        }
        if (value->is_object()) {
            auto en = string(*value, path + "." + key, "en", false);
            auto zh = string(*value, path + "." + key, "zh", false);
            if (en || zh) return localized_text{en.value_or(zh.value_or("")), zh.value_or(en.value_or(""))};
        }
        fail(path + "." + key, "expected a non-empty string or an object with \"en\" and/or \"zh\"");
        return std::nullopt;
    }

    const json* array(const json& object, const std::string& path, const char* key, bool required) {
        const json* value = member(object, path, key, required);
        if (value && !value->is_array()) {
            fail(path + "." + key, "expected an array");
            return nullptr;
        }
        return value;
    }

    std::vector<std::string> strings(const json& object, const std::string& path, const char* key) {
        std::vector<std::string> out;
        const json* items = array(object, path, key, false);
        if (!items) return out;
        for (std::size_t i = 0; i < items->size(); ++i) {
            const auto& item = (*items)[i];
            if (item.is_string()) out.push_back(item.get<std::string>());
            else fail(path + "." + key + "[" + std::to_string(i) + "]", "expected a string");
        }
        return out;
    }

    bool object(const json& value, const std::string& path) {
        if (value.is_object()) return true;
        fail(path, "expected an object");
        return false;
    }

private:
    std::vector<config_error>& errors_;
};

}  // namespace lb::engine
