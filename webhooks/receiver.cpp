#include "receiver.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>

#include "award.hpp"
#include "form_body.hpp"
#include "gitee_credentials.hpp"
#include "hook_headers.hpp"
#include "payloads.hpp"
#include "pull_request_scoring.hpp"
#include "signatures.hpp"
#include "spool_record.hpp"
#include "store_keys.hpp"

namespace lb::webhooks {

using nlohmann::json;

namespace {

std::string gitee_pair_key(const std::string& key) { return "lb:{webhooks}:gitee-token:" + key; }

std::string summary(const json& results) {
    for (const auto& r : results)
        if (r["outcome"] == "applied") return "applied";
    return results.empty() ? "ignored" : results[0]["outcome"].get<std::string>();
}

}  // namespace

receiver::receiver(const engine::config_slot& config, engine::redis_executor& redis, delivery_spool& spool,
                   receiver_secrets secrets, outcome_counter count)
    : config_(config), redis_(redis), spool_(spool), secrets_(std::move(secrets)), count_(std::move(count)) {}

const std::string& receiver::secret_of(std::string_view host) const {
    static const std::string none;
    auto it = secrets_.find(host);
    return it == secrets_.end() ? none : it->second;
}

hook_answer receiver::finish(const std::string& host, const std::string& event, int status, const std::string& outcome,
                             json extra) {
    // Before verification the event header is anyone's text: keep it out of the metric labels.
    bool verified = outcome != "bad_signature" && outcome != "unsupported_media_type" && outcome != "replayed";
    count_(host, !verified ? "unverified" : event.empty() ? "unknown" : event, outcome);
    extra["outcome"] = outcome;
    return {status, std::move(extra)};
}

void receiver::receive_github(hook_input input, hook_respond respond) {
    std::string event = header(input, "x-github-event");
    bool form = content_type_is(input.content_type, "application/x-www-form-urlencoded");
    if (!form && !content_type_is(input.content_type, "application/json"))
        return respond(finish("github", event, 415, "unsupported_media_type",
                              {{"error", "send application/json or application/x-www-form-urlencoded"}}));
    if (!github_signature_valid(secret_of("github"), input.body, header(input, "x-hub-signature-256")))
        return respond(finish("github", event, 401, "bad_signature", {{"error", "X-Hub-Signature-256 does not match the body"}}));
    std::string delivery = header(input, "x-github-delivery");
    if (event.empty()) return respond(finish("github", event, 400, "malformed", {{"error", "X-GitHub-Event: missing"}}));
    if (!is_delivery_id(delivery))
        return respond(finish("github", event, 400, "malformed", {{"error", "X-GitHub-Delivery: missing or not a GUID"}}));
    std::string payload;
    if (form) {
        auto field = form_field(input.body, "payload");
        if (!field) return respond(finish("github", event, 400, "malformed", {{"error", "payload: missing form field"}}));
        payload = std::move(*field);
    } else {
        payload = std::move(input.body);
    }
    handle("github", normalize_github(event, payload), "github:" + delivery, std::move(respond));
}

void receiver::receive_gitee(hook_input input, hook_respond respond) {
    std::string event = header(input, "x-gitee-event");
    if (event.empty()) event = header(input, "x-git-oschina-event");
    if (!content_type_is(input.content_type, "application/json"))
        return respond(finish("gitee", event, 415, "unsupported_media_type", {{"error", "send application/json"}}));
    auto read = read_gitee_credentials(header(input, "x-gitee-timestamp"), header(input, "x-gitee-token"));
    if (auto* error = std::get_if<std::string>(&read)) return respond(finish("gitee", event, 401, "bad_signature", {{"error", *error}}));
    auto credentials = std::get<gitee_credentials>(std::move(read));
    if (std::llabs(now_ms() - credentials.millis) > config_.current().webhooks.of("gitee").timestamp_window_seconds * 1000)
        return respond(finish("gitee", event, 401, "bad_signature", {{"error", "X-Gitee-Timestamp is outside the accepted window"}}));
    if (!gitee_token_valid(config_.current().webhooks.of("gitee").mode, secret_of("gitee"), credentials.timestamp, credentials.token))
        return respond(finish("gitee", event, 401, "bad_signature", {{"error", "X-Gitee-Token does not verify"}}));
    auto pair = gitee_replay_key(credentials);
    check_gitee_replay(pair, [this, input = std::move(input), event, pair, respond = std::move(respond)](bool fresh) mutable {
        if (!fresh)
            return respond(finish("gitee", event, 401, "replayed", {{"error", "this X-Gitee-Timestamp and X-Gitee-Token were already used"}}));
        if (engine::to_lower_ascii(header(input, "x-gitee-ping")) == "true")
            return respond(finish("gitee", event, 200, "ping"));
        std::string key = "gitee:" + sha256_hex(input.body);
        // A delivery that could not be kept gives its pair back, so the host's redelivery is not refused as a replay.
        auto answer = [this, pair, respond = std::move(respond)](hook_answer a) {
            if (a.status == 503) release_gitee_pair(pair);
            respond(std::move(a));
        };
        handle("gitee", normalize_gitee(event, input.body), key, std::move(answer));
    });
}

void receiver::check_gitee_replay(const std::string& key, std::function<void(bool)> done) {
    long long window_ms = config_.current().webhooks.of("gitee").timestamp_window_seconds * 1000;
    bool fresh = false;
    {
        std::lock_guard lock(seen_mutex_);
        fresh = seen_gitee_tokens_.first_use(key, now_ms(), 2 * window_ms);
    }
    if (!fresh) return done(false);
    // Shared across receiver processes; when Redis is down the local memory above still guards this process.
    redis_.execute({{{"SET", gitee_pair_key(key), "1", "NX", "PX", std::to_string(2 * window_ms)}}},
                   [done = std::move(done)](std::vector<engine::redis_value> replies) {
                       done(!replies.at(0).is_nil());
                   });
}

void receiver::release_gitee_pair(const std::string& key) {
    {
        std::lock_guard lock(seen_mutex_);
        seen_gitee_tokens_.forget(key);
    }
    redis_.execute({{{"DEL", gitee_pair_key(key)}}}, [](std::vector<engine::redis_value>) {});
}

void receiver::handle(const std::string& host, normalized_delivery delivery, const std::string& delivery_key,
                      hook_respond respond) {
    const auto& event = delivery.event;
    switch (delivery.kind) {
        case delivery_kind::ping: return respond(finish(host, event, 200, "ping"));
        case delivery_kind::ignored: return respond(finish(host, event, 202, "ignored", {{"reason", delivery.reason}}));
        case delivery_kind::malformed: return respond(finish(host, event, 400, "malformed", {{"error", delivery.reason}}));
        case delivery_kind::pull_request: break;
    }
    if (on_repo_outcome)
        respond = [this, host, repo = engine::to_lower_ascii(delivery.pr.repo), respond = std::move(respond)](hook_answer a) {
            on_repo_outcome(host, repo, a.body.value("outcome", ""));
            respond(std::move(a));
        };
    const auto& contests = config_.current().contests;
    bool wanted = std::any_of(contests.begin(), contests.end(),
                              [&](const auto& c) { return engine::pr_concerns(c, delivery.pr); });
    if (!wanted)
        return respond(finish(host, event, 202, "ignored",
                              {{"reason", "repository " + host + ":" + delivery.pr.repo + " is not part of any contest"}}));
    // One context per delivery, shared by the steps below (each step holds it, nothing is copied).
    auto d = std::make_shared<pending_delivery>(
        pending_delivery{host, event, delivery_key, std::move(delivery.pr), delivery.author_id, std::move(respond)});
    if (d->pr.author.empty())
        return resolve_author(host, d->author_id, d->pr, [this, d](bool resolved) {
            if (!resolved) return spool(*d, "kept on disk until the host's API names its author (the hook gives only the author's id)");
            apply(d);
        });
    apply(d);
}

void receiver::spool(pending_delivery& d, const char* reason) {
    if (spool_.append(spool_record_line({d.key, d.pr, d.pr.author.empty() ? d.author_id : 0})))
        return d.respond(finish(d.host, d.event, 202, "spooled", {{"reason", reason}}));
    d.respond(finish(d.host, d.event, 503, "failed", {{"error", "the delivery could not be stored; please redeliver"}}));
}

void receiver::apply(std::shared_ptr<pending_delivery> d) {
    auto epoch = redis_.connection_epoch();
    // score() takes facts it may share with other contests' awards: an aliasing pointer into d.
    std::shared_ptr<const engine::pull_request_facts> pr(d, &d->pr);
    score(std::move(pr), d->key, [this, epoch, d](bool stored, json results) {
        if (!stored) return spool(*d, "kept on disk; it is applied when Redis is back");
        confirm_kept(epoch, [this, d, results = std::move(results)](bool kept, const char* why_not) {
            if (!kept) return spool(*d, why_not);
            d->respond(finish(d->host, d->event, 200, summary(results), {{"contests", results}}));
        });
    });
}

void receiver::receive(const engine::host_info& host, hook_input input, hook_respond respond) {
    switch (host.shape) {
        case engine::body_shape::github: return receive_github(std::move(input), std::move(respond));
        case engine::body_shape::gitee: return receive_gitee(std::move(input), std::move(respond));
        case engine::body_shape::merge_request: return receive_merge_request(host.id, std::move(input), std::move(respond));
    }
}

void receiver::resolve_author(const std::string& host, long long author_id, engine::pull_request_facts& pr, std::function<void(bool)> done) {
    if (author_id <= 0) return done(false);
    redis_.execute({{{"HGET", engine::keys::authors(host), std::to_string(author_id)}}},
                   [this, host, author_id, &pr, done = std::move(done)](std::vector<engine::redis_value> replies) {
                       const auto& reply = replies.at(0);
                       if (reply.kind == engine::redis_value::type::string && !reply.text.empty()) {
                           pr.author = reply.text;
                           return done(true);
                       }
                       if (on_unknown_author) on_unknown_author(host, author_id);
                       done(false);
                   });
}

void receiver::confirm_kept(unsigned long long epoch, std::function<void(bool, const char*)> done) {
    const auto& settings = config_.current().redis;
    auto how = engine::acknowledgement_for(redis_.persistence(), settings.durability);
    int timeout_ms = static_cast<int>(settings.wait_timeout_ms);
    auto then_written = [this, epoch, how, timeout_ms, done = std::move(done)](bool replicated) mutable {
        // A failover right after must not lose it: acknowledged only once a replica holds it.
        if (!replicated) return done(false, "applied, but no replica confirmed it in time: kept on disk and applied again until one does");
        switch (how) {
            case engine::acknowledgement::applied: return done(true, "");
            case engine::acknowledgement::spooled:
                return done(false, "applied, but Redis runs without AOF and redis.durability is exact: kept on disk");
            case engine::acknowledgement::once_written: break;
        }
        // Redis answers before its AOF is written (appendfsync everysec postpones the write while a
        // background fsync runs): a Redis crash would take an answer given now.
        redis_.wait_until_written(epoch, timeout_ms, [done = std::move(done)](bool written) {
            if (written) return done(true, "");
            done(false, "applied, but Redis had not written it to its AOF in time: kept on disk and applied again until it has");
        });
    };
    if (settings.wait_replicas == 0) return then_written(true);
    redis_.wait_for_replicas(epoch, settings.wait_replicas, timeout_ms, std::move(then_written));
}

void receiver::score(std::shared_ptr<const engine::pull_request_facts> pr, const std::string& delivery_key,
                     std::function<void(bool, json)> done) {
    std::vector<const engine::contest*> targets;
    for (const auto& c : config_.current().contests)
        if (engine::pr_concerns(c, *pr)) targets.push_back(&c);
    engine::score_pull_request(redis_, targets, std::move(pr), delivery_key, std::move(done),
                               config_.current().community.registration_open);
}

void receiver::replay_spool(std::function<void(bool)> done) {
    struct replay : std::enable_shared_from_this<replay> {
        receiver* self;
        std::vector<std::string> lines;
        std::size_t next = 0;
        unsigned long long epoch = 0;
        std::function<void(bool)> done;
        std::vector<std::string> deferred;  // lines whose author is still unknown
        void step() {
            while (next < lines.size()) {
                const auto& line = lines[next++];
                auto read = read_spool_record(line);
                if (auto* error = std::get_if<std::string>(&read)) {
                    // One bad line must not hold back the others, nor stop the server at every start.
                    bool kept = self->spool_.quarantine(line);
                    std::cerr << "spool: a line was moved to quarantine (" << *error << ")" << (kept ? "" : "; the quarantine file could not be written") << "\n";
                    self->count_("spool", "replay", "quarantined");
                    continue;
                }
                auto& record = std::get<spool_record>(read);
                auto pr = std::make_shared<engine::pull_request_facts>(std::move(record.pr));
                auto apply = [job = shared_from_this(), pr, delivery = record.delivery] {
                    job->self->score(pr, delivery, [job](bool stored, json) {
                        if (!stored) return job->done(false);
                        job->step();
                    });
                };
                if (pr->author.empty()) {
                    // Its author is not known yet: the line goes back to the spool, the others go on.
                    std::string host = pr->host;
                    return self->resolve_author(host, record.author_id, *pr, [job = shared_from_this(), line, apply](bool resolved) {
                        if (resolved) return apply();
                        job->deferred.push_back(line);
                        job->step();
                    });
                }
                return apply();
            }
            for (const auto& line : deferred)
                if (!self->spool_.append(line)) return done(false);
            // The lines leave the disk only once Redis keeps what they applied (a replica, its AOF).
            self->confirm_kept(epoch, [job = shared_from_this()](bool kept, const char*) {
                if (!kept) return job->done(false);
                job->finish();
            });
        }
        void finish() {
            self->spool_.finish_replay();
            done(true);
        }
    };
    auto job = std::make_shared<replay>();
    job->self = this;
    job->epoch = redis_.connection_epoch();
    job->lines = spool_.begin_replay();
    job->done = std::move(done);
    job->step();
}

}  // namespace lb::webhooks
