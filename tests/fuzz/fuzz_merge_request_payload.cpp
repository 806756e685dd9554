// A merge request hook body (GitCode, AtomGit, GitLab) after its credentials verified: the
// normalizer must name the bad field or produce facts, never crash, whatever the JSON holds.
#include <cstdint>
#include <string>

#include "award.hpp"
#include "merge_request_payload.hpp"
#include "untrusted_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view body(reinterpret_cast<const char*>(data), size);
    for (auto host : {"gitcode", "gitlab"}) {
        auto delivery = lb::webhooks::normalize_merge_request(host, "Merge Request Hook", body);
        if (delivery.kind == lb::webhooks::delivery_kind::pull_request) {
            // Facts that come out are stored and shown: they must serialize, and name an author or its id.
            if (!delivery.pr.merged || delivery.pr.number < 1 || (delivery.pr.author.empty() && delivery.author_id < 1)) __builtin_trap();
            lb::engine::to_text(lb::engine::facts_to_json(delivery.pr));
            (void)delivery.pr.subject();
        } else if (delivery.reason.empty()) {
            __builtin_trap();
        }
    }
    (void)lb::webhooks::merge_request_time(body.substr(0, 40));
    return 0;
}
