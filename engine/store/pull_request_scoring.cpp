#include "pull_request_scoring.hpp"

#include "award.hpp"
#include "merge_activity.hpp"
#include "reproductions.hpp"
#include "submission_store.hpp"

namespace lb::engine {
namespace {

using nlohmann::json;

void submit_reproduction(redis_executor& redis, const contest& c, const pull_request_facts& pr,
                         std::function<void(std::string, bool)> done) {
    const model_rule* model = pr.merged ? reproduction_label_model(c, pr) : nullptr;
    const participant* author = model ? c.find_by_login(pr.host, pr.author) : nullptr;
    if (!author) return done("", true);
    auto s = std::make_shared<submission>(submission_from_pull_request(c, *model, *author, pr));
    // One submission per PR: a redelivery or a relabel finds it stored and changes nothing.
    redis.execute({store_submission_command(c, *s)}, [&redis, &c, model, s, done = std::move(done)](std::vector<redis_value> replies) {
        if (replies.at(0).is_error()) return done(s->id, false);
        if (replies[0].integer == 0 || !s->auto_accepted) return done(s->id, true);
        decide_model(redis, c, *model, nullptr, "", [s, done](auto state, auto, int, std::string error) {
            done(s->id, state && error.empty());
        });
    });
}

}  // namespace

bool pr_concerns(const contest& c, const pull_request_facts& pr) {
    return pr_in_contest(c, pr) || (c.has_repo(pr.host, pr.repo) && reproduction_label_model(c, pr));
}

void score_pull_request(redis_executor& redis, const std::vector<const contest*>& contests,
                        std::shared_ptr<const pull_request_facts> pr, const std::string& delivery_key,
                        std::function<void(bool, json)> done, bool record_activity) {
    struct gather {
        std::size_t remaining = 0;
        bool failed = false;
        json results = json::array();
        std::function<void(bool, json)> done;
    };
    auto state = std::make_shared<gather>();
    state->done = std::move(done);
    state->remaining = contests.size();
    auto merge = record_activity && !contests.empty() ? record_merge_commands(*pr) : std::vector<redis_command>{};
    if (!merge.empty()) ++state->remaining;
    if (state->remaining == 0) return state->done(true, state->results);
    if (!merge.empty())  // beside the awards: a failure keeps the PR for another try, and recording it twice changes nothing
        redis.execute(std::move(merge), [state](std::vector<redis_value> replies) {
            for (const auto& reply : replies)
                if (reply.is_error()) state->failed = true;
            if (--state->remaining == 0) state->done(!state->failed, state->results);
        });
    award_store store(redis);
    for (const auto* c : contests) {
        auto finish = [&redis, c, pr, state](json entry) {
            submit_reproduction(redis, *c, *pr, [state, entry = std::move(entry)](std::string submission, bool ok) mutable {
                if (!ok) state->failed = true;
                if (!submission.empty()) entry["submission"] = submission;
                if (!entry.contains("outcome")) entry["outcome"] = ok ? "applied" : "failed";
                state->results.push_back(std::move(entry));
                if (--state->remaining == 0) state->done(!state->failed, state->results);
            });
        };
        if (!pr_in_contest(*c, *pr)) {  // a contest that scores only the reproductions PRs submit
            finish({{"contest", c->id}});
            continue;
        }
        auto a = make_pull_request_award(*c, *pr);
        json entry{{"contest", c->id}, {"points", points_json(a.points)}, {"reason", a.reason}};
        if (!a.pending_login.empty()) entry["unattributed"] = a.pending_login;
        store.apply(*c, std::move(a), [state, entry, finish](apply_result result) mutable {
            entry["outcome"] = to_string(result.outcome);
            if (!result.error.empty() && result.outcome == apply_outcome::refused) entry["error"] = result.error;
            bool kept = result.outcome != apply_outcome::failed && result.outcome != apply_outcome::held;
            if (kept) return finish(std::move(entry));
            state->failed = true;  // the caller keeps the PR and scores it again (after a recompute's hold), its submission with it
            state->results.push_back(std::move(entry));
            if (--state->remaining == 0) state->done(false, state->results);
        }, delivery_key);
    }
}

}  // namespace lb::engine
