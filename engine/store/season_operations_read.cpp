#include "season_operations_read.hpp"

#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "batched_reads.hpp"
#include "merge_activity.hpp"
#include "merge_days.hpp"
#include "operations_read.hpp"
#include "people_store.hpp"
#include "season_operations.hpp"
#include "store_keys.hpp"

namespace lb::engine {

using nlohmann::json;

namespace {

struct season_operations_job : std::enable_shared_from_this<season_operations_job> {
    redis_executor* redis;
    std::vector<const contest*> contests;
    season_operations_input in;
    std::function<void(std::optional<json>, std::string)> done;
    std::vector<std::pair<unix_seconds, unix_seconds>> spans;  // the times the contests cover, apart and in order
    std::map<std::string, std::vector<std::pair<unix_seconds, unix_seconds>>, std::less<>> windows;  // "github:owner/name" -> contests listing it
    std::vector<season_entry> entries;             // every contest's participants, not disqualified
    merge_counts counts;                           // what the merges alone tell
    std::vector<std::string> logins;               // histories to read
    std::shared_ptr<std::deque<std::string>> kept = std::make_shared<std::deque<std::string>>();  // what in.merges views

    bool failed(const std::vector<redis_value>& replies) {
        if (const auto* error = first_error(replies)) {
            done(std::nullopt, error->text);
            return true;
        }
        return false;
    }

    // The season's merges: each stretch of time some contest covers read once, each merge kept when
    // a contest listing its repository was running then (so a PR two contests share counts once).
    void read_merges(std::size_t next) {
        if (next == spans.size()) return read_other_boards();
        read_merges_between(
            *redis, spans[next].first, spans[next].second, kept,
            [self = shared_from_this()](unix_seconds at, std::string_view subject, std::string_view login) { self->take_merge(at, subject, login); },
            [self = shared_from_this(), next](std::string error) {
                if (!error.empty()) return self->done(std::nullopt, error);
                self->read_merges(next + 1);
            });
    }

    void take_merge(unix_seconds at, std::string_view subject, std::string_view login) {
        auto repo_part = subject.substr(0, subject.find('#'));
        auto known = windows.find(repo_part);
        if (known == windows.end()) {
            std::vector<std::pair<unix_seconds, unix_seconds>> listing;
            std::string host, repo;
            if (pull_request_repo(std::string(subject), host, repo))
                for (const contest* c : contests)
                    if (c->has_repo(host, repo)) listing.push_back({c->starts_at, c->ends_at});
            known = windows.emplace(std::string(repo_part), std::move(listing)).first;
        }
        bool covered = false;
        for (const auto& [from, to] : known->second) covered = covered || (at >= from && at < to);
        if (covered) in.merges.push_back({subject, login, at});
    }

    // Who holds points on a reproduction or judged board, then who each participant is.
    void read_other_boards() {
        std::vector<redis_command> batch;
        std::vector<const contest*> board_of;
        for (const contest* c : contests)
            for (auto& read : other_board_reads(*c)) {
                batch.push_back(std::move(read));
                board_of.push_back(c);
            }
        execute_in_batches(*redis, std::move(batch), commands_per_batch, [self = shared_from_this(), board_of](std::vector<redis_value> replies) {
            if (self->failed(replies)) return;
            std::set<std::pair<const contest*, std::string>> scored;
            for (std::size_t b = 0; b < replies.size() && b < board_of.size(); ++b)
                for (const auto& member : replies[b].elements) scored.insert({board_of[b], member.text});
            std::vector<const participant*> participants;
            for (const contest* c : self->contests)
                for (const auto& p : c->members().participants())
                    if (!p.disqualified) {
                        self->entries.push_back({c, &p, "", scored.count({c, p.id}) > 0});
                        participants.push_back(&p);
                    }
            resolve_members(*self->redis, participants, [self](std::vector<std::string> members, std::string error) {
                if (!error.empty()) return self->done(std::nullopt, error);
                for (std::size_t i = 0; i < members.size() && i < self->entries.size(); ++i) self->entries[i].member = std::move(members[i]);
                self->read_records();
            });
        });
    }

    void read_records() {
        std::set<std::string> ids;
        for (const auto& e : entries)
            if (!e.member.empty()) ids.insert(e.member);
        std::vector<std::string> wanted(ids.begin(), ids.end());
        read_people_facts(*redis, std::move(wanted), [self = shared_from_this()](auto found, std::string error) {
            if (!error.empty()) return self->done(std::nullopt, error);
            self->in.people = season_people(self->entries, found);
            self->read_firsts();
        });
    }

    void read_firsts() {
        counts = count_season_merges(in);
        logins = season_logins_to_read(in.people, counts);
        execute_in_batches(*redis, field_chunks("ZMSCORE", keys::first_merges(), logins), commands_per_batch,
                           [self = shared_from_this()](std::vector<redis_value> replies) { self->read_after_end(std::move(replies)); });
    }

    void read_after_end(std::vector<redis_value> replies) {
        if (failed(replies)) return;
        take_first_merges(logins, chunk_values(replies, 0, logins.size()), in.histories);
        read_merges_after_end(*redis, in.ends_at, kept, in.histories, [self = shared_from_this()](std::string error) {
            if (!error.empty()) return self->done(std::nullopt, error);
            self->done(season_operations(self->in, std::move(self->counts)), "");
        });
    }
};

}  // namespace

void read_season_operations(redis_executor& redis, const config& cfg, const season& s, team_kind kind, unix_seconds now,
                            std::function<void(std::optional<json>, std::string)> done) {
    auto job = std::make_shared<season_operations_job>();
    job->redis = &redis;
    for (const auto& entry : s.contests)
        if (const contest* c = cfg.find_contest(entry.contest)) job->contests.push_back(c);
    job->in.season = s.id;
    job->in.kind = kind;
    job->in.now = now;
    for (std::size_t i = 0; i < job->contests.size(); ++i) {
        job->in.starts_at = i ? std::min(job->in.starts_at, job->contests[i]->starts_at) : job->contests[i]->starts_at;
        job->in.ends_at = i ? std::max(job->in.ends_at, job->contests[i]->ends_at) : job->contests[i]->ends_at;
    }
    job->spans = covered_spans(job->contests);
    job->done = std::move(done);
    job->read_merges(0);
}

}  // namespace lb::engine
