#include "operations_read.hpp"

#include <memory>
#include <set>
#include <unordered_map>

#include "batched_reads.hpp"
#include "community.hpp"
#include "merge_activity.hpp"
#include "merge_days.hpp"
#include "operations.hpp"
#include "people_store.hpp"
#include "store_keys.hpp"

namespace lb::engine {

using nlohmann::json;

namespace {

// One read, its steps in order; each step's replies arrive in the next.
struct operations_job : std::enable_shared_from_this<operations_job> {
    redis_executor* redis;
    const contest* c;
    operations_input in;
    std::function<void(std::optional<json>, std::string)> done;
    std::vector<const participant*> people;  // not disqualified, in roster order
    std::shared_ptr<std::deque<std::string>> kept = std::make_shared<std::deque<std::string>>();  // what in.merges views
    merge_counts counts;                     // what the merges alone tell
    std::vector<std::string> logins;         // histories to read
    std::vector<std::string> members;        // community id per participant with one ("" for none)

    bool failed(const std::vector<redis_value>& replies) {
        if (const auto* error = first_error(replies)) {
            done(std::nullopt, error->text);
            return true;
        }
        return false;
    }

    void start() {
        for (const auto& p : c->members().participants())
            if (!p.disqualified) people.push_back(&p);
        read_merges_between(
            *redis, c->starts_at, c->ends_at, kept,
            // Every merge of the window: count_contest_merges keeps those in the contest's repositories.
            [self = shared_from_this()](unix_seconds at, std::string_view subject, std::string_view login) {
                self->in.merges.push_back({subject, login, at});
            },
            [self = shared_from_this()](std::string error) {
                if (!error.empty()) return self->done(std::nullopt, error);
                self->read_window();
            });
    }


    // Who of the participants is a member, and who holds points of another kind than PRs (the
    // reproduction and judged boards).
    void read_window() {
        execute_in_batches(*redis, other_board_reads(*c), commands_per_batch, [self = shared_from_this()](std::vector<redis_value> replies) {
            if (self->failed(replies)) return;
            for (const auto& board : replies)
                for (const auto& member : board.elements) self->in.other_awards.insert(member.text);
            resolve_members(*self->redis, self->people, [self](std::vector<std::string> members, std::string error) {
                if (!error.empty()) return self->done(std::nullopt, error);
                self->members = std::move(members);
                self->read_members();
            });
        });
    }

    void read_members() {
        counts = count_contest_merges(in);
        logins = logins_to_read(*c, counts);
        std::vector<std::string> ids;
        for (const auto& id : members)
            if (!id.empty()) ids.push_back(id);
        auto batch = field_chunks("ZMSCORE", keys::first_merges(), logins);
        for (auto& command : field_chunks("HMGET", keys::community("people"), ids)) batch.push_back(std::move(command));
        execute_in_batches(*redis, std::move(batch), commands_per_batch,
                           [self = shared_from_this(), ids](std::vector<redis_value> replies) { self->read_firsts(std::move(replies), ids.size()); });
    }

    void read_firsts(std::vector<redis_value> replies, std::size_t member_count) {
        if (failed(replies)) return;
        take_first_merges(logins, chunk_values(replies, 0, logins.size()), in.histories);
        auto records = chunk_values(replies, chunks_for(logins.size()), member_count);
        std::size_t record = 0;
        for (std::size_t i = 0; i < people.size(); ++i) {
            if (members[i].empty()) continue;
            if (record >= records.size()) break;
            const auto* stored = records[record++];
            if (stored->is_nil()) continue;
            if (auto at = registered_at_of(stored->text)) in.registered_at[people[i]->id] = *at;
        }
        read_merges_after_end(*redis, c->ends_at, kept, in.histories, [self = shared_from_this()](std::string error) {
            if (!error.empty()) return self->done(std::nullopt, error);
            self->done(contest_operations(self->in, std::move(self->counts)), "");
        });
    }
};

}  // namespace

std::vector<redis_command> other_board_reads(const contest& c) {
    std::vector<redis_command> reads;
    for (const auto& board : c.boards())
        if (board.starts_with("component:") && board != "component:pull_requests")
            reads.push_back({{"ZRANGE", keys::board(c.id, board), "0", "-1"}});
    return reads;
}

void take_first_merges(const std::vector<std::string>& logins, const std::vector<const redis_value*>& firsts, login_histories& histories) {
    for (std::size_t i = 0; i < logins.size() && i < firsts.size(); ++i)
        if (!firsts[i]->is_nil()) histories[logins[i]].first_merge = std::atoll(firsts[i]->text.c_str());
}

void read_merges_after_end(redis_executor& redis, unix_seconds end, std::shared_ptr<std::deque<std::string>> kept, login_histories& histories,
                           std::function<void(std::string)> done) {
    read_merges_between(
        redis, end, end + retention_long, std::move(kept),
        [&histories, end](unix_seconds at, std::string_view, std::string_view login) {
            auto h = histories.find(std::string(login));  // someone without a first merge read merged in no window
            if (h == histories.end()) return;
            h->second.merged_within_long = true;
            if (at < end + retention_short) h->second.merged_within_short = true;
        },
        std::move(done));
}

void read_operations(redis_executor& redis, const contest& c, team_kind kind, unix_seconds now,
                     std::function<void(std::optional<json>, std::string)> done) {
    auto job = std::make_shared<operations_job>();
    job->redis = &redis;
    job->c = &c;
    job->in.c = &c;
    job->in.kind = kind;
    job->in.now = now;
    job->done = std::move(done);
    job->start();
}

}  // namespace lb::engine
