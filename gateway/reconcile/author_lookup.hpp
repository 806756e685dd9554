#pragma once
// Names the authors that a host's hooks give only by id (GitLab's merge request hook has
// object_attributes.author_id, and `user` is whoever triggered the event: the merger): asks the
// host's API (GET <api_url>/users/<id>) on a thread of its own and keeps the answer in Redis
// (lb:{webhooks}:authors:<host>), where the receiver and the spool replay find it.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "config_slot.hpp"
#include "common/host_http.hpp"
#include "reconcile/reconciler.hpp"
#include "redis_url.hpp"

namespace lb::gateway {

class author_lookup {
public:
    author_lookup(const engine::config_slot& configs, engine::redis_endpoint redis, host_tokens tokens,
                  std::function<http_reply(const http_call&)> send = send_http);
    ~author_lookup();  // stops and joins
    void start();
    // Thread-safe; an id asked for again while it waits is one lookup. At most 10,000 wait.
    void want(const std::string& host, long long author_id);

private:
    using key = std::pair<std::string, long long>;
    void loop();
    // The login the API names, or nullopt (unreachable, refused, not a user): asked again later.
    std::optional<std::string> ask(const std::string& host, long long author_id);

    const engine::config_slot& configs_;
    engine::redis_endpoint redis_;
    host_tokens tokens_;
    std::function<http_reply(const http_call&)> send_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::map<key, std::chrono::steady_clock::time_point> waiting_;  // not to be asked before
    std::map<key, int> failures_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace lb::gateway
