#pragma once
// Writing a recompute: its boards, contributor sets and indexes under the rebuild prefix,
// pipelined and packed into variadic commands.
#include <string>
#include <vector>

#include "recompute_derive.hpp"
#include "store_keys.hpp"

namespace lb::engine {

std::vector<std::string> scan_keys(sync_redis& redis, const std::string& pattern);

// Pipelines commands, and packs many members into one variadic command per key.
class batch_writer {
public:
    explicit batch_writer(sync_redis& redis) : redis_(redis) {}
    ~batch_writer() = default;

    void push(std::vector<std::string> argv) {
        pending_args_ += argv.size();
        batch_.push_back({std::move(argv)});
        if (batch_.size() >= 1000 || pending_args_ >= 200000) flush();
    }
    // command key (field value)... split into chunks of at most 1000 pairs.
    void push_pairs(const std::string& command, const std::string& key, const std::vector<std::pair<std::string, std::string>>& pairs) {
        for (std::size_t start = 0; start < pairs.size(); start += 1000) {
            std::vector<std::string> argv{command, key};
            for (std::size_t i = start; i < std::min(pairs.size(), start + 1000); ++i) {
                argv.push_back(pairs[i].first);
                argv.push_back(pairs[i].second);
            }
            push(std::move(argv));
        }
    }
    void flush() {
        if (batch_.empty()) return;
        redis_.execute(std::move(batch_), [](std::vector<redis_value> replies) {
            for (auto& reply : replies) checked(std::move(reply));
        });
        batch_.clear();
        pending_args_ = 0;
    }

private:
    sync_redis& redis_;
    std::vector<redis_command> batch_;
    std::size_t pending_args_ = 0;
};


// Writes boards, contributor sets, pending and subjects indexes and "unattributed" under
// `into`; returns the names of the keys written.
std::vector<std::string> write_rebuild(sync_redis& redis, const contest& c, const keys::space& into,
                                       const std::vector<ledger_record>& records, const derived_ledger& derived);

}  // namespace lb::engine
