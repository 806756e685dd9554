#pragma once
// Reading a delivery's headers, shared by the receivers (internal to webhooks/).
#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>

#include "clock.hpp"
#include "contest.hpp"
#include "receiver.hpp"

namespace lb::webhooks {

inline std::string header(const hook_input& input, const std::string& name) {
    auto it = input.headers.find(name);
    return it == input.headers.end() ? "" : it->second;
}

inline bool content_type_is(const std::string& value, std::string_view expected) {
    return engine::to_lower_ascii(value).starts_with(expected);
}

inline long long now_ms() {
    return engine::now_millis();
}

// Whole-string checks on the hot path, cheaper than std::regex (which was one per delivery).
inline bool is_delivery_id(std::string_view text) {
    return !text.empty() && text.size() <= 100 &&
           std::all_of(text.begin(), text.end(), [](char ch) {
               return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-';
           });
}

}  // namespace lb::webhooks
