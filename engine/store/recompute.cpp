#include "recompute.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "award_store.hpp"
#include "clock.hpp"
#include "lua_script.hpp"
#include "recompute_derive.hpp"
#include "recompute_write.hpp"
#include "roster_store.hpp"
#include "random.hpp"
#include "store_keys.hpp"
#include "tie_order.hpp"

namespace lb::engine {
namespace {

constexpr const char* lock_milliseconds = "600000";  // a recompute that died frees its contest after this
constexpr const char* hold_milliseconds = "300000";  // ... and lets its awards through after this

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string last_log_id(sync_redis& redis, const contest& c) {
    auto reply = checked(redis.run({"XREVRANGE", keys::log(c.id), "+", "-", "COUNT", "1"}));
    return reply.elements.empty() ? "0-0" : reply.elements[0].elements.at(0).text;
}

// The subjects of the awards logged after `after`, each once, in log order.
std::vector<std::string> subjects_logged_after(sync_redis& redis, const contest& c, std::string after) {
    std::vector<std::string> subjects;
    std::unordered_set<std::string> seen;
    for (;;) {
        auto reply = checked(redis.run({"XRANGE", keys::log(c.id), "(" + after, "+", "COUNT", "1000"}));
        if (reply.elements.empty()) return subjects;
        for (const auto& entry : reply.elements) {
            after = entry.elements.at(0).text;
            const auto& fields = entry.elements.at(1).elements;
            for (std::size_t i = 0; i + 1 < fields.size(); i += 2)
                if (fields[i].text == "record")
                    if (auto a = read_award_record(fields[i + 1].text); a && seen.insert(a->subject).second) subjects.push_back(a->subject);
        }
    }
}

// The keys an award's rows, indexes and contributor sets live under.
void add_award_keys(const keys::space& at, const award& a, std::vector<std::string>& out) {
    for (const auto& part : a.contributions) {
        out.push_back(at.board(part.board));
        out.push_back(at.contributors(part.board, part.member));
    }
    if (!a.pending_login.empty()) out.push_back(at.pending(a.pending_login));
    if (!a.participant.empty()) out.push_back(at.subjects(a.participant));
}

// The rebuild was built from the ledger as it was read; awards applied since are replayed into
// it, each moving its rows from what the rebuild used to what the ledger holds now (re-derived).
struct catch_up_result {
    std::unordered_set<std::string> subjects;
    std::vector<std::pair<std::string, std::string>> ledger_writes;  // subject, re-derived record
    std::vector<std::string> rebuilt_keys, live_keys;                 // where those awards land, each side
};

catch_up_result catch_up(sync_redis& redis, const contest& c, const std::vector<ledger_record>& records,
                         const derived_ledger& derived, const std::vector<std::string>& subjects) {
    catch_up_result out;
    if (subjects.empty()) return out;
    std::unordered_map<std::string_view, std::size_t> index;
    for (std::size_t i = 0; i < records.size(); ++i) index.emplace(records[i].subject, i);
    std::unordered_map<std::size_t, const std::string*> rederived_text;
    for (const auto& [i, text] : derived.changed) rederived_text.emplace(i, &text);
    keys::space rebuild{keys::rebuild_prefix(c.id)}, live = keys::live(c.id);
    award_store store(redis);
    for (const auto& subject : subjects) {
        auto current_text = checked(redis.run({"HGET", keys::ledger(c.id), subject}));
        auto current = current_text.is_nil() ? std::nullopt : read_award_record(current_text.text);
        if (!current) continue;
        auto now = rederive_award(c, *current);
        now.version = current->version;
        auto found = index.find(subject);
        if (found == index.end()) {
            redis.run({"HDEL", rebuild.ledger(), subject});
        } else {
            auto changed = rederived_text.find(found->second);
            redis.run({"HSET", rebuild.ledger(), subject, changed == rederived_text.end() ? records[found->second].text : *changed->second});
        }
        apply_options options;
        options.space = rebuild.p;
        options.rebuild = true;
        store.apply(c, now, options, [&](apply_result result) {
            if (result.outcome == apply_outcome::failed) throw std::runtime_error("replaying " + subject + ": " + result.error);
        });
        out.subjects.insert(subject);
        if (auto text = now.to_json_text(); text != current_text.text) out.ledger_writes.emplace_back(subject, text);
        add_award_keys(rebuild, now, out.rebuilt_keys);
        add_award_keys(live, *current, out.live_keys);
    }
    for (const auto& scratch : {rebuild.ledger(), rebuild.log(), rebuild.audit()}) redis.run({"DEL", scratch});
    return out;
}

void run_moves(sync_redis& redis, std::vector<std::string> keys, std::vector<std::string> argv) {
    redis_command command{{std::to_string(keys.size())}, &move_keys_script()};
    command.argv.insert(command.argv.end(), keys.begin(), keys.end());
    command.argv.insert(command.argv.end(), argv.begin(), argv.end());
    redis.execute({std::move(command)}, [](std::vector<redis_value> replies) { checked(replies.at(0)); });
}

// Under the hold: contributor sets and indexes move in batches (only the held award script
// reads them), stale live keys go, then one step swaps every board in, logs the marker and
// lets awards through.
void swap_in(sync_redis& redis, const contest& c, std::vector<std::string> rebuilt, const std::vector<std::string>& stale_candidates,
             const std::string& hold_token) {
    const auto rebuild_prefix = keys::rebuild_prefix(c.id), live_prefix = keys::prefix(c.id);
    auto live_name = [&](const std::string& key) { return live_prefix + key.substr(rebuild_prefix.size()); };
    std::sort(rebuilt.begin(), rebuilt.end());
    rebuilt.erase(std::unique(rebuilt.begin(), rebuilt.end()), rebuilt.end());
    std::unordered_set<std::string> kept;
    std::vector<std::string> batch;
    for (const auto& key : rebuilt) {
        kept.insert(live_name(key));
        if (key.starts_with(rebuild_prefix + "board:") || key == rebuild_prefix + "unattributed") continue;  // the last step
        batch.push_back(key);
        batch.push_back(live_name(key));
        if (batch.size() >= 1000) run_moves(redis, std::exchange(batch, {}), {});
    }
    if (!batch.empty()) run_moves(redis, std::exchange(batch, {}), {});
    batch_writer out(redis);
    for (const auto& key : stale_candidates)
        if (!kept.count(key) && !key.starts_with(live_prefix + "board:") && key != live_prefix + "unattributed") out.push({"UNLINK", key});
    out.flush();
    std::string boards;
    for (const auto& board : c.boards()) {
        batch.push_back(rebuild_prefix + "board:" + board);
        batch.push_back(keys::board(c.id, board));
        boards += (boards.empty() ? "" : ",") + board;
    }
    batch.push_back(rebuild_prefix + "unattributed");
    batch.push_back(keys::unattributed(c.id));
    batch.push_back(keys::held(c.id));
    batch.push_back(keys::log(c.id));
    run_moves(redis, std::move(batch), {hold_token, boards});
}

std::string take(sync_redis& redis, const std::string& key, const char* milliseconds) {
    auto token = random_hex(16);
    auto reply = checked(redis.run({"SET", key, token, "NX", "PX", milliseconds}));
    return reply.is_nil() ? "" : token;
}

void release(sync_redis& redis, const std::string& key, const std::string& token) {
    redis.execute({{{"1", key, token}, &release_script()}}, [](std::vector<redis_value>) {});
}

}  // namespace

recompute_report recompute(sync_redis& redis, const contest& c, bool dry_run) {
    recompute_report report;
    // Registrations imported at run time count too.
    load_roster(redis, c, [&](std::optional<roster> current, std::string, std::string error) {
        if (!current) throw std::runtime_error("Redis: " + error);
        c.publish_roster(std::move(*current), now_seconds());
    });
    std::string lock;
    if (!dry_run && (lock = take(redis, keys::recompute_lock(c.id), lock_milliseconds)).empty())
        throw recompute_busy("a recompute of contest \"" + c.id + "\" is already running");
    try {
        auto started = std::chrono::steady_clock::now();
        auto position = last_log_id(redis, c);  // before the ledger is read: every award after it is replayed
        auto records = read_ledger(redis, c);
        report.awards = records.size();
        report.read_seconds = seconds_since(started);

        started = std::chrono::steady_clock::now();
        auto derived = derive_ledger(c, records);
        report.rederived = derived.rederived;
        report.derive_seconds = seconds_since(started);

        started = std::chrono::steady_clock::now();
        report.changes = compare_with_boards(redis, c, derived);
        report.compare_seconds = seconds_since(started);
        if (dry_run) return report;

        started = std::chrono::steady_clock::now();
        keys::space rebuild{keys::rebuild_prefix(c.id)};
        batch_writer cleanup(redis);  // a recompute that died may have left its rebuild
        for (const auto& key : scan_keys(redis, rebuild.p + "*")) cleanup.push({"UNLINK", key});
        cleanup.flush();
        auto rebuilt = write_rebuild(redis, c, rebuild, records, derived);
        std::vector<std::string> stale;  // live keys the rebuild may not have (pts:* are from older versions)
        for (const auto& pattern : {"ctr:*", "pts:*", "pending:*", "subjects:*"})
            for (auto& key : scan_keys(redis, keys::prefix(c.id) + pattern)) stale.push_back(std::move(key));
        report.write_seconds = seconds_since(started);

        started = std::chrono::steady_clock::now();
        auto hold = take(redis, keys::held(c.id), hold_milliseconds);
        if (hold.empty()) throw std::runtime_error("contest \"" + c.id + "\" is held by another recompute");
        try {
            auto replayed = catch_up(redis, c, records, derived, subjects_logged_after(redis, c, position));
            report.caught_up = replayed.subjects.size();
            batch_writer ledger(redis);
            for (const auto& [index, text] : derived.changed)
                if (!replayed.subjects.count(records[index].subject)) ledger.push({"HSET", keys::ledger(c.id), records[index].subject, text});
            for (const auto& [subject, text] : replayed.ledger_writes) ledger.push({"HSET", keys::ledger(c.id), subject, text});
            ledger.flush();
            rebuilt.insert(rebuilt.end(), replayed.rebuilt_keys.begin(), replayed.rebuilt_keys.end());
            stale.insert(stale.end(), replayed.live_keys.begin(), replayed.live_keys.end());
            swap_in(redis, c, std::move(rebuilt), stale, hold);
        } catch (...) {
            release(redis, keys::held(c.id), hold);
            throw;
        }
        report.held_seconds = seconds_since(started);
    } catch (...) {
        if (!lock.empty()) release(redis, keys::recompute_lock(c.id), lock);
        throw;
    }
    release(redis, keys::recompute_lock(c.id), lock);
    return report;
}

}  // namespace lb::engine
