// The hosts' REST answers reconcile reads (pull lists, deliveries, hooks, Link headers):
// whatever the bytes, the readers answer or refuse, and what they keep is well formed.
#include <cstdint>
#include <string_view>

#include "host_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto user = lb::webhooks::read_host_user(text);
    if (auto* read = std::get_if<lb::webhooks::host_user>(&user))
        if (read->login.empty() || read->id.empty()) __builtin_trap();
    for (auto host : {"github", "gitee", "gitcode"}) {
        auto pulls = lb::webhooks::read_pull_list(host, "owner/repo", text);
        if (auto* list = std::get_if<lb::webhooks::pull_list>(&pulls)) {
            if (list->merged.size() + list->errors.size() > list->listed) __builtin_trap();
            for (const auto& pr : list->merged)
                if (!pr.merged || !pr.merged_at || pr.number < 1 || pr.author.empty() || pr.updated_at < *pr.merged_at) __builtin_trap();
        }
    }
    auto deliveries = lb::webhooks::read_hook_deliveries(text);
    if (auto* items = std::get_if<std::vector<lb::webhooks::hook_delivery>>(&deliveries)) {
        auto again = lb::webhooks::deliveries_to_redeliver(*items, "pull_request");
        if (again.size() > items->size()) __builtin_trap();
        for (const auto& d : again)
            if (d.ok() || d.event != "pull_request") __builtin_trap();
    }
    (void)lb::webhooks::read_repo_hooks(text);
    auto next = lb::webhooks::next_link(text);
    if (next.size() > text.size()) __builtin_trap();
    return 0;
}
