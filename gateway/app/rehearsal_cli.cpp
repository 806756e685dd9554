#include "app/rehearsal_cli.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "award_store.hpp"
#include "clock.hpp"
#include "config_loader.hpp"
#include "recording.hpp"
#include "crypto.hpp"
#include "store_keys.hpp"

namespace lb::gateway {
namespace {

std::atomic<bool> stop_requested{false};

std::unique_ptr<engine::sync_redis> connect(const parsed_args& a, int& status) {
    auto endpoint = engine::parse_redis_url(option(a, "--redis", "redis://127.0.0.1:6379/0"));
    if (!endpoint) return status = 64, std::cerr << "--redis: expected redis://host:port/db or redis-sentinel://host:port,host:port/name/db\n", nullptr;
    try {
        return std::make_unique<engine::sync_redis>(*endpoint);
    } catch (const std::exception& error) {
        return status = 1, std::cerr << error.what() << "\n", nullptr;
    }
}

std::string clock_text(long long ms) {
    long long s = ms / 1000;
    char out[32];
    if (s >= 3600) std::snprintf(out, sizeof out, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else std::snprintf(out, sizeof out, "%02lld:%02lld", s / 60, s % 60);
    return out;
}

// "[#######-------------] 120/300 awards, 01:23 of 05:00 recorded" on a terminal, redrawn in
// place; elsewhere (a log file) a line at each tenth.
class progress_bar {
public:
    progress_bar(std::size_t total, long long span_ms) : total_(total), span_ms_(span_ms), terminal_(::isatty(2)) {}
    void show(std::size_t done, long long at_ms, bool force = false) {
        auto now = std::chrono::steady_clock::now();
        std::size_t tenth = total_ ? done * 10 / total_ : 10;
        if (terminal_ ? (!force && now - last_ < std::chrono::milliseconds(100)) : (!force && tenth == last_tenth_)) return;
        last_ = now;
        last_tenth_ = tenth;
        std::size_t filled = total_ ? done * 20 / total_ : 20;
        std::cerr << (terminal_ ? "\r[" : "[") << std::string(filled, '#') << std::string(20 - filled, '-') << "] " << done << "/"
                  << total_ << " awards, " << clock_text(at_ms) << " of " << clock_text(span_ms_) << " recorded"
                  << (terminal_ ? "  " : "\n") << std::flush;
    }
    void end() const {
        if (terminal_) std::cerr << "\n";
    }

private:
    std::size_t total_;
    long long span_ms_;
    bool terminal_;
    std::chrono::steady_clock::time_point last_{};
    std::size_t last_tenth_ = 11;
};

}  // namespace

int record_command(const parsed_args& a) {
    if (!a.options.count("--contest") || !a.options.count("--out")) return std::cerr << history_command_help.at("record"), 64;
    auto contest = option(a, "--contest");
    std::optional<engine::unix_seconds> starts_at;
    if (a.options.count("--config")) {
        auto config = load_or_report(option(a, "--config"));
        if (!config) return 2;
        const auto* c = config->find_contest(contest);
        if (!c) return std::cerr << "unknown contest \"" << contest << "\"\n", 2;
        starts_at = c->starts_at;
    }
    int status = 0;
    auto redis = connect(a, status);
    if (!redis) return status;
    std::vector<std::string> lines;
    std::string after = "-";
    for (;;) {
        auto reply = redis->run({"XRANGE", engine::keys::log(contest), after, "+", "COUNT", "1000"});
        if (reply.is_error()) return std::cerr << "cannot read the award log: " << reply.text << "\n", 1;
        if (reply.elements.empty()) break;
        for (const auto& entry : reply.elements) {
            const auto& id = entry.elements.at(0).text;
            after = "(" + id;
            long long t_ms = std::stoll(id.substr(0, id.find('-')));
            const auto& fields = entry.elements.at(1).elements;
            for (std::size_t i = 0; i + 1 < fields.size(); i += 2)
                if (fields[i].text == "record") lines.push_back(engine::recording_line(t_ms, fields[i + 1].text));
        }
    }
    std::ofstream out(option(a, "--out"), std::ios::binary | std::ios::trunc);
    if (!out) return std::cerr << "--out: cannot write \"" << option(a, "--out") << "\"\n", 2;
    out << engine::recording_header(contest, starts_at, lines.size()) << "\n";
    for (const auto& line : lines) out << line << "\n";
    out.close();
    if (!out) return std::cerr << "--out: the file could not be written whole\n", 1;
    std::cout << "recorded " << lines.size() << " awards of " << contest << " into " << option(a, "--out") << "\n";
    return 0;
}

int replay_command(const parsed_args& a) {
    if (!a.options.count("--file")) return std::cerr << history_command_help.at("replay"), 64;
    double speed = 0;  // 0: as fast as Redis takes them
    if (auto text = option(a, "--speed", "1"); text != "max") {
        char* end = nullptr;
        speed = std::strtod(text.c_str(), &end);
        if (!end || *end || !(speed > 0) || speed > 1e7) return std::cerr << "--speed: expected a number above 0 (60 plays an hour in a minute) or max\n", 64;
    }
    std::ifstream file(option(a, "--file"), std::ios::binary);
    if (!file) return std::cerr << "--file: cannot read \"" << option(a, "--file") << "\"\n", 2;
    std::stringstream text;
    text << file.rdbuf();
    auto read = engine::read_recording(text.str());
    if (auto* error = std::get_if<std::string>(&read)) return std::cerr << *error << " (nothing was applied)\n", 2;
    auto& rec = std::get<engine::recording>(read);
    auto opened = open_offline(a, history_command_help.at("replay"));
    if (auto* status = std::get_if<int>(&opened)) return *status;
    auto& ctx = std::get<offline_context>(opened);
    const auto& c = *ctx.contest;
    long long shift = rec.starts_at ? c.starts_at - *rec.starts_at : 0;

    // Where a stopped replay of this same file stands (the checksum tells one file from another).
    auto checksum = engine::sha256_hex(text.str());
    auto state_key = engine::keys::replay_state(c.id);
    std::size_t start = 0;
    auto saved = ctx.redis->run({"HMGET", state_key, "file", "next"});
    if (!a.options.count("--restart") && saved.elements.size() == 2 && saved.elements[0].text == checksum && !saved.elements[1].is_nil())
        start = std::min<std::size_t>(std::stoull(saved.elements[1].text), rec.awards.size());
    if (start == rec.awards.size() && !rec.awards.empty()) {
        std::cout << "this recording was replayed into " << c.id << " whole already (--restart plays it again)\n";
        return 0;
    }
    if (start) std::cout << "resuming at award " << start + 1 << " of " << rec.awards.size() << "\n";
    ctx.redis->run({"HSET", state_key, "file", checksum, "next", std::to_string(start), "total", std::to_string(rec.awards.size())});

    std::signal(SIGINT, [](int) { stop_requested = true; });
    std::signal(SIGTERM, [](int) { stop_requested = true; });
    long long first_ms = rec.awards.empty() ? 0 : rec.awards.front().t_ms;
    long long span_ms = rec.awards.empty() ? 0 : rec.awards.back().t_ms - first_ms;
    long long origin_ms = start < rec.awards.size() ? rec.awards[start].t_ms : first_ms;
    auto wall_origin = std::chrono::steady_clock::now();
    engine::award_store store(*ctx.redis);
    progress_bar bar(rec.awards.size(), span_ms);
    std::map<std::string, int> outcomes;
    for (std::size_t i = start; i < rec.awards.size(); ++i) {
        const auto& item = rec.awards[i];
        if (speed > 0) {
            auto due = wall_origin + std::chrono::microseconds(static_cast<long long>((item.t_ms - origin_ms) * 1000.0 / speed));
            while (!stop_requested && std::chrono::steady_clock::now() < due) {
                std::this_thread::sleep_until(std::min(due, std::chrono::steady_clock::now() + std::chrono::milliseconds(100)));
                auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall_origin).count();
                bar.show(i, origin_ms - first_ms + static_cast<long long>(elapsed * speed));
            }
        }
        if (stop_requested) {
            bar.end();
            std::cout << "stopped before award " << i + 1 << " of " << rec.awards.size() << "; the same command resumes\n";
            return 130;
        }
        engine::apply_outcome outcome = engine::apply_outcome::failed;
        std::string error;
        store.apply(c, engine::shift_award(item.value, shift), [&](engine::apply_result result) {
            outcome = result.outcome;
            error = result.error;
        });
        ++outcomes[engine::to_string(outcome)];
        if (outcome == engine::apply_outcome::failed || outcome == engine::apply_outcome::held) {
            bar.end();
            std::cerr << "award " << i + 1 << " (" << item.value.subject << ") could not be applied: " << error
                      << "; the same command resumes from it\n";
            return 1;
        }
        ctx.redis->run({"HSET", state_key, "next", std::to_string(i + 1)});
        bar.show(i + 1, item.t_ms - first_ms, i + 1 == rec.awards.size());
    }
    bar.end();
    std::cout << "replayed " << rec.awards.size() - start << " awards into " << c.id << ":";
    for (const auto& [name, count] : outcomes) std::cout << " " << name << " " << count;
    std::cout << "\n";
    return outcomes.count("refused") ? 1 : 0;
}

int reset_command(const parsed_args& a) {
    auto opened = open_offline(a, history_command_help.at("reset"));
    if (auto* status = std::get_if<int>(&opened)) return *status;
    auto& ctx = std::get<offline_context>(opened);
    std::vector<std::string> found;
    std::string cursor = "0";
    do {
        auto reply = ctx.redis->run({"SCAN", cursor, "MATCH", engine::keys::prefix(ctx.contest->id) + "*", "COUNT", "1000"});
        if (reply.is_error() || reply.elements.size() != 2) return std::cerr << "cannot list the contest's keys: " << reply.text << "\n", 1;
        cursor = reply.elements[0].text;
        for (const auto& key : reply.elements[1].elements) found.push_back(key.text);
    } while (cursor != "0");
    if (!a.options.count("--yes")) {
        std::cerr << "reset deletes all " << found.size() << " keys of contest " << ctx.contest->id
                  << " (awards, boards, roster imports, submissions); nothing was deleted: add --yes to go on\n";
        return 2;
    }
    for (std::size_t i = 0; i < found.size(); i += 500) {
        std::vector<std::string> command{"UNLINK"};
        for (std::size_t j = i; j < std::min(found.size(), i + 500); ++j) command.push_back(found[j]);
        if (auto reply = ctx.redis->run(command); reply.is_error()) return std::cerr << "cannot delete: " << reply.text << "\n", 1;
    }
    std::cout << "contest " << ctx.contest->id << " reset: " << found.size() << " keys deleted\n";
    return 0;
}

}  // namespace lb::gateway
