#include "recompute.hpp"

#include <map>
#include <set>
#include <stdexcept>

#include "award.hpp"
#include "roster_store.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"

namespace lb::engine {
namespace {

struct member_total {
    centi points = 0;
    unix_seconds latest = 0;
    bool any = false;                                // has at least one nonzero contribution
    std::vector<std::pair<std::string, unix_seconds>> contributors;
};

using board_totals = std::map<std::string, std::map<std::string, member_total>>;

redis_value checked(redis_value value) {
    if (value.is_error()) throw std::runtime_error("Redis: " + value.text);
    return value;
}

std::vector<std::string> scan_keys(sync_redis& redis, const std::string& pattern) {
    std::vector<std::string> found;
    std::string cursor = "0";
    do {
        auto reply = checked(redis.run({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"}));
        cursor = reply.elements.at(0).text;
        for (const auto& key : reply.elements.at(1).elements) found.push_back(key.text);
    } while (cursor != "0");
    return found;
}

std::vector<std::pair<std::string, std::string>> read_ledger(sync_redis& redis, const contest& c) {
    std::vector<std::pair<std::string, std::string>> records;
    std::string cursor = "0";
    do {
        auto reply = checked(redis.run({"HSCAN", keys::ledger(c.id), cursor, "COUNT", "1000"}));
        cursor = reply.elements.at(0).text;
        const auto& items = reply.elements.at(1).elements;
        for (std::size_t i = 0; i + 1 < items.size(); i += 2) records.emplace_back(items[i].text, items[i + 1].text);
    } while (cursor != "0");
    return records;
}

std::string score_text(const contest& c, const member_total& total) {
    auto score = encode_rank_score({total.points, total.latest}, c.starts_at);
    if (!score) throw std::runtime_error("a total is out of the exact range of the tie encoding");
    return std::to_string(static_cast<long long>(*score));
}

void flush(sync_redis& redis, std::vector<redis_command>& batch) {
    if (batch.empty()) return;
    redis.execute(std::move(batch), [](std::vector<redis_value> replies) {
        for (auto& reply : replies) checked(std::move(reply));
    });
    batch.clear();
}

void write_boards(sync_redis& redis, const contest& c, const board_totals& totals,
                  const std::vector<std::pair<std::string, std::string>>& changed_records,
                  const std::map<std::string, std::set<std::string>>& pending,
                  const std::map<std::string, std::set<std::string>>& subjects) {
    std::vector<redis_command> batch;
    auto push = [&](std::vector<std::string> argv) {
        batch.push_back({std::move(argv)});
        if (batch.size() >= 1000) flush(redis, batch);
    };
    for (const auto& pattern : {"ctr:*", "pts:*", "board:*", "pending:*", "unattributed", "subjects:*"})
        for (const auto& key : scan_keys(redis, keys::prefix(c.id) + pattern)) push({"UNLINK", key});
    for (const auto& [board, members] : totals) {
        for (const auto& [member, total] : members) {
            push({"ZADD", keys::board(c.id, board), score_text(c, total), member});
            push({"HSET", keys::points(c.id, board), member, std::to_string(total.points)});
            for (const auto& [subject, at] : total.contributors)
                push({"ZADD", keys::contributors(c.id, board, member), std::to_string(at), subject});
        }
    }
    for (const auto& [subject, record] : changed_records) push({"HSET", keys::ledger(c.id), subject, record});
    for (const auto& [login, kept] : pending) {
        push({"SADD", keys::unattributed(c.id), login});
        for (const auto& subject : kept) push({"SADD", keys::pending(c.id, login), subject});
    }
    for (const auto& [participant, owned] : subjects)
        for (const auto& subject : owned) push({"SADD", keys::subjects(c.id, participant), subject});
    flush(redis, batch);
}

}  // namespace

recompute_report recompute(sync_redis& redis, const contest& c, bool dry_run) {
    recompute_report report;
    board_totals totals;
    std::vector<std::pair<std::string, std::string>> changed_records;
    std::map<std::string, std::set<std::string>> pending, subjects;
    // Registrations imported at run time count too.
    load_roster(redis, c, [&](std::optional<roster> current, std::string, std::string error) {
        if (!current) throw std::runtime_error("Redis: " + error);
        c.publish_roster(std::move(*current));
    });
    for (const auto& [subject, text] : read_ledger(redis, c)) {
        ++report.awards;
        auto parsed = nlohmann::json::parse(text, nullptr, false);
        if (parsed.is_discarded()) throw std::runtime_error("unreadable ledger record for " + subject);
        award stored = award::from_json(parsed);
        award current = rederive_award(c, stored);
        current.version = stored.version;
        if (current.contributions != stored.contributions || current.points != stored.points) {
            ++report.rederived;
            changed_records.emplace_back(subject, current.to_json().dump());
        }
        if (!current.pending_login.empty()) pending[current.pending_login].insert(subject);
        if (!current.participant.empty()) subjects[current.participant].insert(subject);
        for (const auto& part : current.contributions) {
            auto& total = totals[part.board][part.member];
            total.points += part.value;
            if (part.value == 0) continue;
            total.any = true;
            total.latest = std::max(total.latest, current.at);
            total.contributors.emplace_back(subject, current.at);
        }
    }
    // As the award script does: a member whose every contribution is zero leaves the board.
    for (auto& [board, members] : totals) std::erase_if(members, [](const auto& entry) { return !entry.second.any; });
    for (const auto& board : c.boards()) {
        auto current = checked(redis.run({"ZRANGE", keys::board(c.id, board), "0", "-1", "WITHSCORES"}));
        std::map<std::string, std::string> before;
        for (std::size_t i = 0; i + 1 < current.elements.size(); i += 2)
            before[current.elements[i].text] = std::to_string(static_cast<long long>(std::stod(current.elements[i + 1].text)));
        std::map<std::string, std::string> after;
        for (const auto& [member, total] : totals[board]) after[member] = score_text(c, total);
        for (const auto& [member, score] : after)
            if (before[member] != score) report.changes.push_back({board, member, before[member], score});
        for (const auto& [member, score] : before)
            if (!after.count(member)) report.changes.push_back({board, member, score, ""});
    }
    if (!dry_run) write_boards(redis, c, totals, changed_records, pending, subjects);
    return report;
}

}  // namespace lb::engine
