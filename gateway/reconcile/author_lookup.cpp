#include "reconcile/author_lookup.hpp"

#include <iostream>

#include "common/error_boundary.hpp"
#include "host_api.hpp"
#include "store_keys.hpp"
#include "sync_redis.hpp"

namespace lb::gateway {

author_lookup::author_lookup(const engine::config_slot& configs, engine::redis_endpoint redis, host_tokens tokens,
                             std::function<http_reply(const http_call&)> send)
    : configs_(configs), redis_(std::move(redis)), tokens_(std::move(tokens)), send_(std::move(send)) {}

author_lookup::~author_lookup() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void author_lookup::start() {
    thread_ = std::thread([this] { loop(); });
}

void author_lookup::want(const std::string& host, long long author_id) {
    {
        std::lock_guard lock(mutex_);
        if (waiting_.size() >= 10000) return;
        waiting_.try_emplace({host, author_id}, std::chrono::steady_clock::now());
    }
    wake_.notify_all();
}

std::optional<std::string> author_lookup::ask(const std::string& host, long long author_id) {
    http_call call;
    call.url = configs_.current().webhooks.of(host).api.api_url + "/users/" + std::to_string(author_id);
    call.headers["Accept"] = "application/json";
    call.timeout = std::chrono::seconds(10);
    call.body_limit = 1024 * 1024;
    if (const auto& token = tokens_[host]; !token.empty()) call.headers["PRIVATE-TOKEN"] = token;
    auto reply = send_(call);
    if (reply.status != 200) {
        std::cerr << "author lookup: " << host << " user " << author_id << ": "
                  << (reply.status ? "HTTP " + std::to_string(reply.status) : reply.error) << "\n";
        return std::nullopt;
    }
    auto user = webhooks::read_host_user(reply.body);
    if (auto* error = std::get_if<std::string>(&user)) {
        std::cerr << "author lookup: " << host << " user " << author_id << ": " << *error << "\n";
        return std::nullopt;
    }
    return std::get<webhooks::host_user>(user).login;
}

void author_lookup::loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        auto now = std::chrono::steady_clock::now();
        auto due = waiting_.end();
        auto next = now + std::chrono::hours(1);
        for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
            if (it->second <= now) {
                due = it;
                break;
            }
            next = std::min(next, it->second);
        }
        if (due == waiting_.end()) {
            wake_.wait_until(lock, next);
            continue;
        }
        auto [host, id] = due->first;
        lock.unlock();
        std::optional<std::string> login;
        shielded("an author lookup", [&] {
            login = ask(host, id);
            if (login) {
                engine::sync_redis redis(redis_);
                auto stored = redis.run({"HSET", engine::keys::authors(host), std::to_string(id), *login});
                if (stored.is_error()) throw std::runtime_error(stored.text);
            }
        });
        lock.lock();
        if (login) {
            waiting_.erase({host, id});
            failures_.erase({host, id});
            continue;
        }
        // Asked again after 1, 2, 4 … up to 60 seconds: the spool keeps the delivery meanwhile.
        int failed = ++failures_[{host, id}];
        waiting_[{host, id}] = std::chrono::steady_clock::now() + std::chrono::seconds(std::min(60, 1 << std::min(failed - 1, 6)));
    }
}

}  // namespace lb::gateway
