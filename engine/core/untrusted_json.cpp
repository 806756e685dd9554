#include "untrusted_json.hpp"

#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

namespace lb::engine {
namespace {

// The deepest nesting of arrays and objects, counted outside strings; stops counting
// once past the limit.
int nesting_depth(std::string_view text, int limit) {
    int depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (char ch : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (ch == '\\') escaped = true;
            else if (ch == '"') in_string = false;
            continue;
        }
        if (ch == '"') in_string = true;
        else if (ch == '[' || ch == '{') {
            if (++depth > deepest && (deepest = depth) > limit) return deepest;
        } else if (ch == ']' || ch == '}') {
            --depth;
        }
    }
    return deepest;
}

}  // namespace

parsed_json parse_untrusted_json(std::string_view text, int max_depth) {
    parsed_json out;
    if (nesting_depth(text, max_depth) > max_depth) {
        out.value = nlohmann::json(nlohmann::json::value_t::discarded);
        out.error = "nested deeper than " + std::to_string(max_depth) + " levels";
        return out;
    }
    std::vector<std::set<std::string>> keys;  // one set per object being read
    std::string duplicate;
    auto check = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using event_t = nlohmann::json::parse_event_t;
        if (event == event_t::object_start) keys.emplace_back();
        else if (event == event_t::object_end && !keys.empty()) keys.pop_back();
        else if (event == event_t::key && !keys.empty() && !keys.back().insert(parsed.get<std::string>()).second && duplicate.empty())
            duplicate = parsed.get<std::string>();
        return true;
    };
    out.value = nlohmann::json::parse(text.begin(), text.end(), check, false);
    if (out.value.is_discarded()) out.error = "not valid JSON (or not UTF-8, or a number beyond range)";
    else if (!duplicate.empty()) out.error = "duplicate key \"" + duplicate + "\"";
    if (!out.error.empty()) out.value = nlohmann::json(nlohmann::json::value_t::discarded);
    return out;
}

namespace {

const nlohmann::json* member(const nlohmann::json& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

}  // namespace

std::optional<std::string> string_at(const nlohmann::json& object, std::string_view key) {
    const auto* value = member(object, key);
    if (!value || !value->is_string()) return std::nullopt;
    return value->get_ref<const std::string&>();
}

std::optional<std::int64_t> integer_at(const nlohmann::json& object, std::string_view key) {
    const auto* value = member(object, key);
    if (!value) return std::nullopt;
    if (value->is_number_integer() && !value->is_number_unsigned()) return value->get<std::int64_t>();
    if (value->is_number_unsigned() && value->get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(value->get<std::uint64_t>());
    return std::nullopt;
}

std::optional<double> number_at(const nlohmann::json& object, std::string_view key) {
    const auto* value = member(object, key);
    if (!value || !value->is_number()) return std::nullopt;
    double number = value->get<double>();
    if (!std::isfinite(number)) return std::nullopt;
    return number;
}

std::optional<bool> bool_at(const nlohmann::json& object, std::string_view key) {
    const auto* value = member(object, key);
    if (!value || !value->is_boolean()) return std::nullopt;
    return value->get<bool>();
}

const nlohmann::json* object_at(const nlohmann::json& object, std::string_view key) {
    const auto* value = member(object, key);
    return value && value->is_object() ? value : nullptr;
}

const nlohmann::json* array_at(const nlohmann::json& object, std::string_view key) {
    const auto* value = member(object, key);
    return value && value->is_array() ? value : nullptr;
}

std::optional<std::vector<std::string>> strings_at(const nlohmann::json& object, std::string_view key) {
    const auto* items = array_at(object, key);
    if (!items) return std::nullopt;
    std::vector<std::string> out;
    out.reserve(items->size());
    for (const auto& item : *items) {
        if (!item.is_string()) return std::nullopt;
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::string to_text(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace lb::engine
