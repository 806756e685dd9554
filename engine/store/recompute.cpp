#include "recompute.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "clock.hpp"
#include "award.hpp"
#include "ledger_entry.hpp"
#include "roster_store.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"

namespace lb::engine {
namespace {

struct member_total {
    centi points = 0;
    unix_seconds latest = 0;
    bool any = false;                                   // has at least one nonzero contribution
    std::vector<std::pair<std::size_t, unix_seconds>> contributors;  // (record index, award time)
};

using member_totals = std::unordered_map<std::string, member_total>;

struct ledger_record {
    std::string subject;
    std::string text;
};

// What one derive thread learns from its share of the ledger.
struct derived_part {
    std::map<std::string, member_totals> totals;  // board -> member -> total
    std::vector<std::pair<std::size_t, std::string>> changed;  // record index, new JSON
    std::unordered_map<std::string, std::vector<std::size_t>> pending, owned;
    std::size_t rederived = 0;
    std::string error;
    std::vector<std::pair<std::string, member_totals*>> recent;  // boards seen, for board_totals
};

redis_value checked(redis_value value) {
    if (value.is_error()) throw std::runtime_error("Redis: " + value.text);
    return value;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

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
    if (const participant* p = c.find_participant(out.participant)) out.contributions = contributions_for(c, *p, entry.component, out.points);
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

std::string score_text(const contest& c, const member_total& total) {
    auto score = encode_rank_score({total.points, total.latest}, c.starts_at);
    if (!score) throw std::runtime_error("a total is out of the exact range of the tie encoding");
    return std::to_string(static_cast<long long>(*score));
}

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

void write_boards(sync_redis& redis, const contest& c, const std::vector<ledger_record>& records, const derived_part& derived) {
    batch_writer out(redis);
    // pts:* held totals before the board scores alone did: older stores still have them.
    for (const auto& pattern : {"ctr:*", "pts:*", "board:*", "pending:*", "unattributed", "subjects:*"})
        for (const auto& key : scan_keys(redis, keys::prefix(c.id) + pattern)) out.push({"UNLINK", key});
    for (const auto& [board, members] : derived.totals) {
        std::vector<std::pair<std::string, std::string>> scores;
        for (const auto& [member, total] : members) {
            scores.emplace_back(score_text(c, total), member);
            if (keys::contributor_board(board) != board) continue;  // shared with the "teams" row
            std::vector<std::pair<std::string, std::string>> contributors;
            for (const auto& [index, at] : total.contributors) contributors.emplace_back(std::to_string(at), records[index].subject);
            out.push_pairs("ZADD", keys::contributors(c.id, board, member), contributors);
        }
        out.push_pairs("ZADD", keys::board(c.id, board), scores);
    }
    std::vector<std::pair<std::string, std::string>> changed;
    for (const auto& [index, record] : derived.changed) changed.emplace_back(records[index].subject, record);
    out.push_pairs("HSET", keys::ledger(c.id), changed);
    auto add_sets = [&](const std::unordered_map<std::string, std::vector<std::size_t>>& sets, auto key_of) {
        for (const auto& [name, indexes] : sets)
            for (std::size_t start = 0; start < indexes.size(); start += 1000) {
                std::vector<std::string> argv{"SADD", key_of(name)};
                for (std::size_t i = start; i < std::min(indexes.size(), start + 1000); ++i) argv.push_back(records[indexes[i]].subject);
                out.push(std::move(argv));
            }
    };
    add_sets(derived.pending, [&](const std::string& login) { return keys::pending(c.id, login); });
    for (const auto& [login, _] : derived.pending) out.push({"SADD", keys::unattributed(c.id), login});
    add_sets(derived.owned, [&](const std::string& who) { return keys::subjects(c.id, who); });
    out.flush();
}

}  // namespace

recompute_report recompute(sync_redis& redis, const contest& c, bool dry_run) {
    recompute_report report;
    // Registrations imported at run time count too.
    load_roster(redis, c, [&](std::optional<roster> current, std::string, std::string error) {
        if (!current) throw std::runtime_error("Redis: " + error);
        c.publish_roster(std::move(*current), now_seconds());
    });
    auto started = std::chrono::steady_clock::now();
    auto records = read_ledger(redis, c);
    report.awards = records.size();
    report.read_seconds = seconds_since(started);

    // Parsing and re-deriving is pure CPU work on immutable inputs: two threads share it.
    started = std::chrono::steady_clock::now();
    derived_part first, second;
    std::size_t half = records.size() / 2;
    std::thread helper([&] { derive(c, records, half, records.size(), second); });
    derive(c, records, 0, half, first);
    helper.join();
    if (!first.error.empty() || !second.error.empty()) throw std::runtime_error(first.error.empty() ? second.error : first.error);
    merge(first, std::move(second));
    report.rederived = first.rederived;
    // As the award script does: a member whose every contribution is zero leaves the board.
    for (auto& [board, members] : first.totals) std::erase_if(members, [](const auto& entry) { return !entry.second.any; });
    report.derive_seconds = seconds_since(started);

    started = std::chrono::steady_clock::now();
    for (const auto& board : c.boards()) {
        auto current = checked(redis.run({"ZRANGE", keys::board(c.id, board), "0", "-1", "WITHSCORES"}));
        std::unordered_map<std::string, std::string> before;
        for (std::size_t i = 0; i + 1 < current.elements.size(); i += 2)
            before[current.elements[i].text] = std::to_string(static_cast<long long>(std::stod(current.elements[i + 1].text)));
        const auto& after = first.totals[board];
        for (const auto& [member, total] : after) {
            auto score = score_text(c, total);
            auto it = before.find(member);
            if (it == before.end() || it->second != score) report.changes.push_back({board, member, it == before.end() ? "" : it->second, score});
        }
        for (const auto& [member, score] : before)
            if (!after.count(member)) report.changes.push_back({board, member, score, ""});
    }
    std::sort(report.changes.begin(), report.changes.end(),
              [](const board_change& a, const board_change& b) { return std::tie(a.board, a.member) < std::tie(b.board, b.member); });
    report.compare_seconds = seconds_since(started);
    if (!dry_run) {
        started = std::chrono::steady_clock::now();
        write_boards(redis, c, records, first);
        report.write_seconds = seconds_since(started);
    }
    return report;
}

}  // namespace lb::engine
