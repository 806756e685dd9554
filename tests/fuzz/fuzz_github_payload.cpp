// A GitHub pull_request body after its signature verified: the normalizer must name the
// bad field or produce facts, never crash, whatever the JSON holds.
#include <cstdint>
#include <string>

#include "award.hpp"
#include "payloads.hpp"
#include "untrusted_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string body(reinterpret_cast<const char*>(data), size);
    auto delivery = lb::webhooks::normalize_github("pull_request", body);
    if (delivery.kind == lb::webhooks::delivery_kind::pull_request) {
        // Facts that come out are stored and shown: they must serialize.
        lb::engine::to_text(lb::engine::facts_to_json(delivery.pr));
        (void)delivery.pr.subject();
    } else if (delivery.reason.empty()) {
        __builtin_trap();
    }
    return 0;
}
