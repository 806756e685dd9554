#include "operations_read.hpp"

#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "batched_reads.hpp"
#include "community.hpp"
#include "merge_activity.hpp"
#include "operations.hpp"
#include "people_store.hpp"
#include "store_keys.hpp"
#include "untrusted_json.hpp"

namespace lb::engine {

using nlohmann::json;

namespace {

constexpr std::size_t merges_per_page = 50000;

// One read, its steps in order; each step's replies arrive in the next.
struct operations_job : std::enable_shared_from_this<operations_job> {
    redis_executor* redis;
    const contest* c;
    operations_input in;
    std::function<void(std::optional<json>, std::string)> done;
    std::vector<const participant*> people;  // not disqualified, in roster order
    std::unordered_map<std::string, bool> listed;  // "github:owner/name" -> whether the contest lists it
    std::vector<std::string> logins;         // histories to read
    std::vector<std::string> counted;        // logins whose merges after the end are counted
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
        range_by_score_in_pages(*redis, keys::merges(), std::to_string(c->starts_at), "(" + std::to_string(c->ends_at), merges_per_page,
                                [self = shared_from_this()](const std::vector<redis_value>& page) { self->take_merges(page); },
                                [self = shared_from_this()](std::string error) {
                                    if (!error.empty()) return self->done(std::nullopt, error);
                                    self->read_window();
                                });
    }

    // The window's merges in the contest's repositories, with their authors, a page at a time.
    void take_merges(const std::vector<redis_value>& page) {
        std::string subject, login, host, repo;
        for (std::size_t i = 0; i + 1 < page.size(); i += 2) {
            if (!read_merge_member(page[i].text, subject, login)) continue;
            auto repo_part = subject.substr(0, subject.find('#'));  // the same few repositories, over and over
            auto known = listed.find(repo_part);
            if (known == listed.end())
                known = listed.emplace(repo_part, pull_request_repo(subject, host, repo) && c->has_repo(host, repo)).first;
            if (!known->second) continue;
            in.merges.push_back({std::move(subject), std::move(login), std::atoll(page[i + 1].text.c_str())});
        }
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
        logins = logins_to_read(*c, in.merges);
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
        auto batch = take_first_merges(logins, chunk_values(replies, 0, logins.size()), in.merges, c->ends_at, in.histories, counted);
        auto records = chunk_values(replies, chunks_for(logins.size()), member_count);
        std::size_t record = 0;
        for (std::size_t i = 0; i < people.size(); ++i) {
            if (members[i].empty()) continue;
            if (record >= records.size()) break;
            const auto* stored = records[record++];
            if (stored->is_nil()) continue;
            auto parsed = parse_untrusted_json(stored->text);
            if (!parsed.ok()) continue;
            if (auto at = number_at(parsed.value, "registered_at")) in.registered_at[people[i]->id] = static_cast<unix_seconds>(*at);
        }
        execute_in_batches(*redis, std::move(batch), commands_per_batch,
                           [self = shared_from_this()](std::vector<redis_value> replies) { self->finish(std::move(replies)); });
    }

    void finish(std::vector<redis_value> replies) {
        if (failed(replies)) return;
        take_merges_after_end(replies, counted, in.histories);
        done(contest_operations(in), "");
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

std::vector<redis_command> take_first_merges(const std::vector<std::string>& logins, const std::vector<const redis_value*>& firsts,
                                             const std::vector<merge_fact>& merges, unix_seconds end, login_histories& histories,
                                             std::vector<std::string>& counted) {
    std::unordered_set<std::string_view> authors;  // only who merged in the window can have merged again
    for (const auto& m : merges) authors.insert(m.login);
    std::vector<redis_command> batch;
    auto from = std::to_string(end);
    for (std::size_t i = 0; i < logins.size() && i < firsts.size(); ++i) {
        if (firsts[i]->is_nil()) continue;
        const auto& login = logins[i];
        histories[login].first_merge = std::atoll(firsts[i]->text.c_str());
        if (!authors.count(login)) continue;
        counted.push_back(login);
        batch.push_back({{"ZCOUNT", keys::login_merges(login), from, "(" + std::to_string(end + retention_short)}});
        batch.push_back({{"ZCOUNT", keys::login_merges(login), from, "(" + std::to_string(end + retention_long)}});
    }
    return batch;
}

void take_merges_after_end(const std::vector<redis_value>& counts, const std::vector<std::string>& counted, login_histories& histories) {
    for (std::size_t i = 0; i < counted.size() && 2 * i + 1 < counts.size(); ++i) {  // two counts a login, in order
        auto& history = histories[counted[i]];
        history.merged_within_short = counts[2 * i].integer > 0;
        history.merged_within_long = counts[2 * i + 1].integer > 0;
    }
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
