#include "recompute_write.hpp"

#include <algorithm>

namespace lb::engine {

std::vector<std::string> scan_keys(sync_redis& redis, const std::string& pattern) {
    std::vector<std::string> found;
    std::string cursor = "0";
    do {
        auto reply = checked(redis.run({"SCAN", cursor, "MATCH", pattern, "COUNT", "10000"}));
        cursor = reply.elements.at(0).text;
        for (const auto& key : reply.elements.at(1).elements) found.push_back(key.text);
    } while (cursor != "0");
    return found;
}

std::vector<std::string> write_rebuild(sync_redis& redis, const contest& c, const keys::space& into,
                                       const std::vector<ledger_record>& records, const derived_ledger& derived) {
    batch_writer out(redis);
    std::vector<std::string> written;
    for (const auto& [board, members] : derived.totals) {
        std::vector<std::pair<std::string, std::string>> scores;
        for (const auto& [member, total] : members) {
            scores.emplace_back(score_text(c, total), member);
            if (keys::contributor_board(board) != board) continue;  // shared with the "teams" row
            std::vector<std::pair<std::string, std::string>> contributors;
            for (const auto& [index, at] : total.contributors) contributors.emplace_back(std::to_string(at), records[index].subject);
            if (contributors.empty()) continue;
            written.push_back(into.contributors(board, member));
            out.push_pairs("ZADD", written.back(), contributors);
        }
        if (scores.empty()) continue;
        written.push_back(into.board(board));
        out.push_pairs("ZADD", written.back(), scores);
    }
    auto add_sets = [&](const std::unordered_map<std::string, std::vector<std::size_t>>& sets, auto key_of) {
        for (const auto& [name, indexes] : sets) {
            written.push_back(key_of(name));
            for (std::size_t start = 0; start < indexes.size(); start += 1000) {
                std::vector<std::string> argv{"SADD", written.back()};
                for (std::size_t i = start; i < std::min(indexes.size(), start + 1000); ++i) argv.push_back(records[indexes[i]].subject);
                out.push(std::move(argv));
            }
        }
    };
    add_sets(derived.pending, [&](const std::string& login) { return into.pending(login); });
    if (!derived.pending.empty()) written.push_back(into.unattributed());
    for (const auto& [login, _] : derived.pending) out.push({"SADD", into.unattributed(), login});
    add_sets(derived.owned, [&](const std::string& who) { return into.subjects(who); });
    out.flush();
    return written;
}

}  // namespace lb::engine
