// Writes N merged-PR awards of the bench contest as Redis protocol (HSET on the
// ledger), for `redis-cli --pipe`: a ledger to recompute, built by the engine's own
// scoring so the records are exactly what the receivers would have stored.
// usage: bench_ledger --config config.json --contest bench --awards 1000000 > ledger.resp
#include <iostream>
#include <string>

#include "award.hpp"
#include "config_loader.hpp"
#include "store_keys.hpp"

namespace {

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name) return argv[i + 1];
    return fallback;
}

void write_command(std::string& out, std::initializer_list<const std::string*> parts) {
    out += "*" + std::to_string(parts.size()) + "\r\n";
    for (const auto* part : parts) out += "$" + std::to_string(part->size()) + "\r\n" + *part + "\r\n";
}

}  // namespace

int main(int argc, char** argv) {
    auto loaded = lb::engine::load_config_file(arg(argc, argv, "--config", "config.json"));
    if (!loaded.errors.empty()) return std::cerr << loaded.errors.front().to_string() << "\n", 2;
    const auto* c = loaded.value.find_contest(arg(argc, argv, "--contest", "bench"));
    if (!c) return std::cerr << "unknown contest\n", 2;
    long long awards = std::stoll(arg(argc, argv, "--awards", "1000000"));
    const auto& people = c->members().participants();
    const std::string ledger = lb::engine::keys::ledger(c->id), hset = "HSET";
    std::string out;
    for (long long i = 0; i < awards; ++i) {
        lb::engine::pull_request_facts pr;
        pr.host = "github";
        pr.repo = "example-org/framework";
        pr.number = i + 1;
        pr.url = "https://github.com/example-org/framework/pull/" + std::to_string(i + 1);
        pr.title = "fix: crash " + std::to_string(i + 1);
        pr.author = lb::engine::login_on(people[static_cast<std::size_t>(i) % people.size()].logins, "github");
        pr.labels = i % 3 == 0 ? std::vector<std::string>{"bug"} : std::vector<std::string>{"documentation"};
        pr.merged = true;
        pr.merged_at = c->starts_at + (i * 7) % (c->ends_at - c->starts_at);
        pr.updated_at = *pr.merged_at;
        auto a = lb::engine::make_pull_request_award(*c, pr);
        auto record = a.to_json_text();
        write_command(out, {&hset, &ledger, &a.subject, &record});
        if (out.size() > (1 << 20)) {
            std::cout << out;
            out.clear();
        }
    }
    std::cout << out;
    return 0;
}
