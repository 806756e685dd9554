// The screens' ?ids= lists: whatever passes is a short list of distinct plain ids.
#include <cstdint>
#include <set>
#include <string_view>

#include "common/request_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto ids = lb::gateway::parse_id_list(text, 200);
    if (!ids) return 0;
    if (ids->empty() || ids->size() > 200) __builtin_trap();
    std::set<std::string> distinct(ids->begin(), ids->end());
    if (distinct.size() != ids->size()) __builtin_trap();
    for (const auto& id : *ids)
        if (id.empty() || id.size() > 64 || id.find_first_of(",/ %?&\0", 0, 8) != std::string::npos) __builtin_trap();
    return 0;
}
