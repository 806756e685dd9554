#include "operations_read.hpp"

#include <memory>

#include "community.hpp"
#include "merge_activity.hpp"
#include "operations.hpp"
#include "people_store.hpp"
#include "store_keys.hpp"
#include "untrusted_json.hpp"

namespace lb::engine {

using nlohmann::json;

namespace {

constexpr std::size_t chunk = 10000;  // fields per HMGET: one reply stays a few hundred KB

// One read, its steps in order; each step's replies arrive in the next.
struct operations_job : std::enable_shared_from_this<operations_job> {
    redis_executor* redis;
    const contest* c;
    operations_input in;
    std::function<void(std::optional<json>, std::string)> done;
    std::vector<const participant*> people;   // participants, in the order of their SMEMBERS
    std::vector<std::string> subjects;        // merges of the window in the contest's repositories
    std::vector<unix_seconds> merged_at;
    std::vector<std::string> logins;          // histories to read
    std::vector<std::string> members;         // community id per participant with one ("" for none)

    bool failed(const std::vector<redis_value>& replies) {
        for (const auto& r : replies)
            if (r.is_error()) {
                done(std::nullopt, r.text);
                return true;
            }
        return false;
    }

    // The window's merges, each participant's awards and who of them is a member.
    void start() {
        std::vector<redis_command> batch;
        batch.push_back({{"ZRANGEBYSCORE", keys::merges(), std::to_string(c->starts_at), "(" + std::to_string(c->ends_at), "WITHSCORES"}});
        redis_command logins_of{{"HMGET", keys::community("logins")}};
        for (const auto& p : c->members().participants()) {
            if (p.disqualified) continue;
            people.push_back(&p);
            batch.push_back({{"SMEMBERS", keys::subjects(c->id, p.id)}});
            logins_of.argv.push_back(login_key(p.github.empty() ? "gitee" : "github", p.github.empty() ? p.gitee : p.github));
        }
        if (logins_of.argv.size() == 2) logins_of = {{"PING"}};
        batch.push_back(std::move(logins_of));
        redis->execute(std::move(batch), [self = shared_from_this()](std::vector<redis_value> replies) { self->read_window(std::move(replies)); });
    }

    void read_window(std::vector<redis_value> replies) {
        if (failed(replies)) return;
        const auto& range = replies[0].elements;
        for (std::size_t i = 0; i + 1 < range.size(); i += 2) {
            std::string host, repo;
            if (!pull_request_repo(range[i].text, host, repo) || !c->has_repo(host, repo)) continue;
            subjects.push_back(range[i].text);
            merged_at.push_back(std::atoll(range[i + 1].text.c_str()));
        }
        const auto& owners = replies.back().elements;
        for (std::size_t i = 0; i < people.size(); ++i) {
            for (const auto& s : replies[i + 1].elements) {
                const auto& subject = s.text;
                if (!subject.starts_with("github:") && !subject.starts_with("gitee:") && !subject.starts_with("adjustment:"))
                    in.other_awards.insert(people[i]->id);
            }
            std::string id = people[i]->person;
            const std::string owner = i < owners.size() && !owners[i].is_nil() ? owners[i].text : "";
            if (id.empty() && !owner.starts_with("request:")) id = owner;
            members.push_back(id);
        }
        std::vector<redis_command> batch;
        for (std::size_t from = 0; from < subjects.size(); from += chunk) {
            redis_command authors{{"HMGET", keys::merge_authors()}};
            for (std::size_t i = from; i < subjects.size() && i < from + chunk; ++i) authors.argv.push_back(subjects[i]);
            batch.push_back(std::move(authors));
        }
        batch.push_back({{"PING"}});  // keeps the batch non-empty
        redis->execute(std::move(batch), [self = shared_from_this()](std::vector<redis_value> replies) { self->read_authors(std::move(replies)); });
    }

    void read_authors(std::vector<redis_value> replies) {
        if (failed(replies)) return;
        std::size_t next = 0;
        for (std::size_t b = 0; b + 1 < replies.size(); ++b)
            for (const auto& author : replies[b].elements) {
                if (!author.is_nil()) in.merges.push_back({subjects[next], author.text, merged_at[next]});
                ++next;
            }
        logins = logins_to_read(*c, in.merges);
        std::vector<redis_command> batch;
        for (std::size_t from = 0; from < logins.size(); from += chunk) {
            redis_command firsts{{"HMGET", keys::first_merges()}};
            for (std::size_t i = from; i < logins.size() && i < from + chunk; ++i) firsts.argv.push_back(logins[i]);
            batch.push_back(std::move(firsts));
        }
        redis_command records{{"HMGET", keys::community("people")}};
        for (const auto& id : members)
            if (!id.empty()) records.argv.push_back(id);
        batch.push_back(records.argv.size() > 2 ? std::move(records) : redis_command{{"PING"}});
        redis->execute(std::move(batch), [self = shared_from_this()](std::vector<redis_value> replies) { self->read_firsts(std::move(replies)); });
    }

    void read_firsts(std::vector<redis_value> replies) {
        if (failed(replies)) return;
        std::size_t next = 0;
        std::vector<redis_command> batch;
        auto end = std::to_string(c->ends_at);
        for (std::size_t b = 0; b + 1 < replies.size(); ++b)
            for (const auto& first : replies[b].elements) {
                const auto& login = logins[next++];
                if (first.is_nil()) continue;
                in.histories[login].first_merge = std::atoll(first.text.c_str());
                batch.push_back({{"ZCOUNT", keys::login_merges(login), end, "(" + std::to_string(c->ends_at + retention_short)}});
                batch.push_back({{"ZCOUNT", keys::login_merges(login), end, "(" + std::to_string(c->ends_at + retention_long)}});
            }
        const auto& records = replies.back().elements;
        std::size_t record = 0;
        for (std::size_t i = 0; i < people.size(); ++i) {
            if (members[i].empty()) continue;
            if (record >= records.size()) break;
            const auto& stored = records[record++];
            if (stored.is_nil()) continue;
            auto parsed = parse_untrusted_json(stored.text);
            if (!parsed.ok()) continue;
            if (auto at = number_at(parsed.value, "registered_at")) in.registered_at[people[i]->id] = static_cast<unix_seconds>(*at);
        }
        batch.push_back({{"PING"}});
        redis->execute(std::move(batch), [self = shared_from_this()](std::vector<redis_value> replies) { self->finish(std::move(replies)); });
    }

    void finish(std::vector<redis_value> replies) {
        if (failed(replies)) return;
        std::size_t r = 0;
        for (const auto& login : logins) {
            auto it = in.histories.find(login);
            if (it == in.histories.end() || r + 1 >= replies.size()) continue;
            it->second.merged_within_short = replies[r++].integer > 0;
            it->second.merged_within_long = replies[r++].integer > 0;
        }
        done(contest_operations(in), "");
    }
};

}  // namespace

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
