#include "recompute_derive.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>
#include <tuple>

#include "ledger_entry.hpp"
#include "recompute.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"

namespace lb::engine {

redis_value checked(redis_value value) {
    if (value.is_error()) throw std::runtime_error("Redis: " + value.text);
    return value;
}

std::vector<ledger_record> read_ledger(sync_redis& redis, const contest& c) {
    std::vector<ledger_record> records;
    std::string cursor = "0";
    do {
        auto reply = checked(redis.run({"HSCAN", keys::ledger(c.id), cursor, "COUNT", "5000"}));
        cursor = reply.elements.at(0).text;
        auto& items = reply.elements.at(1).elements;
        for (std::size_t i = 0; i + 1 < items.size(); i += 2) records.push_back({std::move(items[i].text), std::move(items[i + 1].text)});
    } while (cursor != "0");
    return records;
}

namespace {

// What one derive thread learns from its share of the ledger.
struct derived_part : derived_ledger {
    std::string error;
    std::vector<std::pair<std::string, member_totals*>> recent;  // boards seen, for board_totals
};

// The few boards of a contest, found without a map lookup per contribution.
member_totals& board_totals(derived_part& out, const std::string& board) {
    for (auto& [name, totals] : out.recent)
        if (name == board) return *totals;
    auto& totals = out.totals[board];
    out.recent.emplace_back(board, &totals);
    return totals;
}

// Where a record lands under the current rules and roster. Compared with what the record
// says, only a record whose placement changed is parsed fully and re-serialized.
pull_request_placement place(const contest& c, ledger_entry& entry) {
    if (entry.facts) return place_pull_request(c, *entry.facts);
    pull_request_placement out;
    out.points = entry.points;
    out.at = entry.at;
    out.participant = std::move(entry.participant);
    if (const participant* p = c.find_participant(out.participant)) out.contributions = contributions_for(c, *p, entry.component, out.points, out.at);
    return out;
}

// Re-derives records [begin, end) under the contest's current rules and roster.
void derive(const contest& c, const std::vector<ledger_record>& records, std::size_t begin, std::size_t end, derived_part& out) {
    try {
        for (std::size_t i = begin; i < end; ++i) {
            auto entry = read_ledger_entry(records[i].text);
            if (!entry) throw std::runtime_error("unreadable ledger record for " + records[i].subject);
            auto stored_points = entry->points;
            auto stored_contributions = std::move(entry->contributions);
            auto current = place(c, *entry);
            if (current.contributions != stored_contributions || current.points != stored_points) {
                ++out.rederived;
                auto stored = read_award_record(records[i].text);
                if (!stored) throw std::runtime_error("unreadable ledger record for " + records[i].subject);
                award rederived = rederive_award(c, *stored);
                rederived.version = stored->version;
                out.changed.emplace_back(i, rederived.to_json_text());
            }
            if (!current.pending_login.empty()) out.pending[current.pending_login].push_back(i);
            if (!current.participant.empty()) out.owned[current.participant].push_back(i);
            for (const auto& part : current.contributions) {
                auto& total = board_totals(out, part.board)[part.member];
                total.points += part.value;
                if (part.value == 0) continue;
                total.any = true;
                total.latest = std::max(total.latest, current.at);
                if (keys::contributor_board(part.board) == part.board) total.contributors.emplace_back(i, current.at);
            }
        }
    } catch (const std::exception& error) {
        out.error = error.what();
    }
}

// Adds b into a (same shapes); contributor lists are concatenated.
void merge(derived_part& a, derived_part&& b) {
    for (auto& [board, members] : b.totals) {
        auto& into = a.totals[board];
        for (auto& [member, total] : members) {
            auto& sum = into[member];
            sum.points += total.points;
            sum.any = sum.any || total.any;
            sum.latest = std::max(sum.latest, total.latest);
            sum.contributors.insert(sum.contributors.end(), total.contributors.begin(), total.contributors.end());
        }
    }
    a.changed.insert(a.changed.end(), std::make_move_iterator(b.changed.begin()), std::make_move_iterator(b.changed.end()));
    for (auto& [login, list] : b.pending) a.pending[login].insert(a.pending[login].end(), list.begin(), list.end());
    for (auto& [who, list] : b.owned) a.owned[who].insert(a.owned[who].end(), list.begin(), list.end());
    a.rederived += b.rederived;
}

}  // namespace

derived_ledger derive_ledger(const contest& c, const std::vector<ledger_record>& records) {
    // Parsing and re-deriving is pure CPU work on immutable inputs: two threads share it.
    derived_part first, second;
    std::size_t half = records.size() / 2;
    std::thread helper([&] { derive(c, records, half, records.size(), second); });
    derive(c, records, 0, half, first);
    helper.join();
    if (!first.error.empty() || !second.error.empty()) throw std::runtime_error(first.error.empty() ? second.error : first.error);
    merge(first, std::move(second));
    // As the award script does: a member whose every contribution is zero leaves the board.
    for (auto& [board, members] : first.totals) std::erase_if(members, [](const auto& entry) { return !entry.second.any; });
    return std::move(static_cast<derived_ledger&>(first));
}

std::string score_text(const contest& c, const member_total& total) {
    auto score = encode_rank_score({total.points, total.latest}, c.starts_at);
    if (!score) throw std::runtime_error("a total is out of the exact range of the tie encoding");
    return std::to_string(static_cast<long long>(*score));
}

std::vector<board_change> compare_with_boards(sync_redis& redis, const contest& c, const derived_ledger& derived) {
    std::vector<board_change> changes;
    static const member_totals none;
    for (const auto& board : c.boards()) {
        auto current = checked(redis.run({"ZRANGE", keys::board(c.id, board), "0", "-1", "WITHSCORES"}));
        std::unordered_map<std::string, std::string> before;
        for (std::size_t i = 0; i + 1 < current.elements.size(); i += 2)
            before[current.elements[i].text] = std::to_string(static_cast<long long>(std::stod(current.elements[i + 1].text)));
        auto found = derived.totals.find(board);
        const auto& after = found == derived.totals.end() ? none : found->second;
        for (const auto& [member, total] : after) {
            auto score = score_text(c, total);
            auto it = before.find(member);
            if (it == before.end() || it->second != score) changes.push_back({board, member, it == before.end() ? "" : it->second, score});
        }
        for (const auto& [member, score] : before)
            if (!after.count(member)) changes.push_back({board, member, score, ""});
    }
    std::sort(changes.begin(), changes.end(),
              [](const board_change& a, const board_change& b) { return std::tie(a.board, a.member) < std::tie(b.board, b.member); });
    return changes;
}

}  // namespace lb::engine
