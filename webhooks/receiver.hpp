#pragma once
// The webhook receivers: verify, normalize, score in every matching contest,
// and answer. Verification happens before the body is parsed; nothing is
// stored for a delivery that fails it. When Redis cannot take a verified
// delivery it goes to the durable spool and is applied later, exactly once.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "config_slot.hpp"
#include "award_store.hpp"
#include "delivery_spool.hpp"
#include "pull_request_event.hpp"
#include "recent_tokens.hpp"

namespace lb::webhooks {

// The hooks' secrets by host id (from the variables webhooks.<host>.secret_env names); a host
// without one fails every delivery's verification.
using receiver_secrets = std::map<std::string, std::string, std::less<>>;

struct hook_input {
    std::string content_type;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
};

struct hook_answer {
    int status = 200;
    nlohmann::json body;
};

using hook_respond = std::function<void(hook_answer)>;
using outcome_counter = std::function<void(const std::string& host, const std::string& event, const std::string& outcome)>;

class receiver {
public:
    receiver(const engine::config_slot& config, engine::redis_executor& redis, delivery_spool& spool, receiver_secrets secrets,
             outcome_counter count);

    // Told the outcome of every pull request delivery with its repository (console health).
    std::function<void(const std::string& host, const std::string& repo, const std::string& outcome)> on_repo_outcome;

    // host: an id of the host table; its hooks' headers and body shape decide how it is read.
    void receive(const engine::host_info& host, hook_input input, hook_respond respond);
    void receive_github(hook_input input, hook_respond respond);
    void receive_gitee(hook_input input, hook_respond respond);
    // GitCode, AtomGit and GitLab (hosts whose body_shape is merge_request).
    void receive_merge_request(std::string_view host, hook_input input, hook_respond respond);

    // Told of a GitLab author id no cached login answers for (the author lookup asks the host's API).
    std::function<void(const std::string& host, long long author_id)> on_unknown_author;

    // Applies spooled deliveries (call when Redis is reachable); done(true)
    // once every one is applied, done(false) if Redis failed again.
    void replay_spool(std::function<void(bool)> done);

private:
    void handle(const std::string& host, normalized_delivery delivery, const std::string& delivery_key, hook_respond respond);
    // A verified pull request delivery on its way: what each step needs, held once.
    struct pending_delivery {
        std::string host;
        std::string event;
        std::string key;  // "<host>:<delivery id>"
        engine::pull_request_facts pr;
        long long author_id = 0;
        hook_respond respond;
    };
    // Scores the PR, then acknowledges once Redis keeps it (confirm_kept), else spools.
    void apply(std::shared_ptr<pending_delivery> d);
    // Keeps the delivery on disk and answers 202, or 503 when even that fails.
    void spool(pending_delivery& d, const char* reason);
    void score(std::shared_ptr<const engine::pull_request_facts> pr, const std::string& delivery_key,
               std::function<void(bool stored, nlohmann::json results)> done);
    // key: gitee_replay_key of the canonical pair. done(false) when it was used already.
    void check_gitee_replay(const std::string& key, std::function<void(bool fresh)> done);
    void release_gitee_pair(const std::string& key);
    // done(true) once the writes sent on connection `epoch` are kept as redis.wait_replicas and
    // redis.durability ask; done(false, why) when they are not (the caller spools).
    void confirm_kept(unsigned long long epoch, std::function<void(bool, const char*)> done);
    const std::string& secret_of(std::string_view host) const;
    // "" when the delivery proves itself as webhooks.<host>.mode asks, else why it does not.
    std::string authenticate_merge_request(std::string_view host, const hook_input& input) const;
    // Fills pr.author from the cached login of an author id; done(false) when none is cached yet.
    void resolve_author(const std::string& host, long long author_id, engine::pull_request_facts& pr, std::function<void(bool)> done);
    hook_answer finish(const std::string& host, const std::string& event, int status, const std::string& outcome,
                       nlohmann::json extra = nlohmann::json::object());

    const engine::config_slot& config_;
    engine::redis_executor& redis_;
    delivery_spool& spool_;
    receiver_secrets secrets_;
    outcome_counter count_;
    std::mutex seen_mutex_;
    recent_tokens seen_gitee_tokens_;
};

}  // namespace lb::webhooks
