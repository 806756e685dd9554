// The community's records read back from Redis: a stored person (its sign-up time and
// memberships) and a day of merges as one string (engine/store/lua/read_merge_day.lua).
#include <cstdint>
#include <string>
#include <string_view>

#include "merge_days.hpp"
#include "seasons.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    lb::engine::registered_at_of(text);
    if (auto facts = lb::engine::read_member_facts(text))
        for (const auto& m : facts->memberships)
            if (m.chapter.empty()) __builtin_trap();  // an empty chapter is never a membership
    lb::engine::visit_merge_day(text, 100, 2000000000, [&](lb::engine::unix_seconds at, std::string_view subject, std::string_view login) {
        if (at < 100 || at >= 2000000000) __builtin_trap();  // outside the window: never visited
        if (subject.find(' ') != std::string_view::npos || login.find('\n') != std::string_view::npos) __builtin_trap();
    });
    return 0;
}
