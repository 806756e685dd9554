// Ingest benchmark: signed GitHub merged-PR deliveries of real size over
// keep-alive loopback connections. Prints one JSON line of results.
// usage: ingest --port P --secret S --example index.json [--connections 32] [--seconds 20] [--authors 1000] [--repo o/r]
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "load_client.hpp"
#include "signatures.hpp"

namespace {

using nlohmann::json;

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
    return text;
}

// The octokit "closed" example made into a merged PR, with placeholders to fill per delivery.
std::string payload_template(const std::string& examples_path, const std::string& repo) {
    std::ifstream file(examples_path);
    auto events = json::parse(file);
    json example;
    for (const auto& event : events)
        if (event["name"] == "pull_request")
            for (const auto& e : event["examples"])
                if (e["action"] == "closed") example = e;
    auto& pr = example["pull_request"];
    example["number"] = 900000001;
    pr["number"] = 900000001;
    pr["html_url"] = "https://github.com/" + repo + "/pull/900000001";
    pr["title"] = "fix: benchmark change 900000001";
    pr["user"]["login"] = "AUTHOR_PLACEHOLDER";
    pr["labels"] = json::array({{{"id", 1}, {"name", "LABEL_PLACEHOLDER"}, {"color", "f29513"}, {"default", false}}});
    pr["merged"] = true;
    pr["merged_at"] = "2026-12-02T10:00:00Z";
    pr["updated_at"] = "2026-12-02T10:00:00Z";
    pr["merged_by"] = pr["user"];
    pr["base"]["repo"]["full_name"] = repo;
    example["repository"]["full_name"] = repo;
    return example.dump();
}

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name) return argv[i + 1];
    return fallback;
}

}  // namespace

int main(int argc, char** argv) {
    std::string secret = arg(argc, argv, "--secret", "");
    std::string examples = arg(argc, argv, "--example", "");
    std::string repo = arg(argc, argv, "--repo", "example-org/framework");
    int authors = std::stoi(arg(argc, argv, "--authors", "1000"));
    if (secret.empty() || examples.empty()) {
        std::cerr << "usage: ingest --port P --secret S --example index.json [--connections 32] [--seconds 20] [--authors 1000]\n";
        return 64;
    }
    const std::string base = payload_template(examples, repo);
    const std::string labels[] = {"bug", "documentation", "chore"};  // worth 11, 3 and 1 with the bench rules
    const long long label_points[] = {11, 3, 1};
    long long next_number = 1, expected_points = 0;
    std::vector<long long> latencies_us;
    std::map<int, long long> statuses;
    lb::bench::load_run run;
    run.port = std::stoi(arg(argc, argv, "--port", "8080"));
    run.connections = std::stoi(arg(argc, argv, "--connections", "32"));
    run.duration = std::chrono::seconds(std::stoi(arg(argc, argv, "--seconds", "20")));
    run.next_request = [&](int) {
        long long number = next_number++;
        int label = static_cast<int>(number % 3);
        expected_points += label_points[label];
        std::string body = replace_all(base, "900000001", std::to_string(number));
        body = replace_all(body, "AUTHOR_PLACEHOLDER", "user" + std::to_string(number % authors));
        body = replace_all(body, "LABEL_PLACEHOLDER", labels[label]);
        std::string signature = "sha256=" + lb::webhooks::hmac_sha256_hex(secret, body);
        return "POST /hooks/github HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
               "X-GitHub-Event: pull_request\r\nX-GitHub-Delivery: bench-" + std::to_string(number) +
               "\r\nX-Hub-Signature-256: " + signature + "\r\nUser-Agent: GitHub-Hookshot/bench\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n" + body;
    };
    run.on_result = [&](const lb::bench::http_result& r) {
        ++statuses[r.status];
        latencies_us.push_back(std::chrono::duration_cast<std::chrono::microseconds>(r.latency).count());
    };
    auto started = std::chrono::steady_clock::now();
    if (auto error = lb::bench::run_load(run); !error.empty()) {
        std::cerr << error << "\n";
        return 1;
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::sort(latencies_us.begin(), latencies_us.end());
    auto pct = [&](double p) { return latencies_us.empty() ? 0.0 : latencies_us[static_cast<std::size_t>(p * (latencies_us.size() - 1))] / 1000.0; };
    long long accepted = 0, errors = 0;
    for (auto [status, count] : statuses) (status >= 200 && status < 300 ? accepted : errors) += count;
    json result{{"deliveries", latencies_us.size()}, {"accepted", accepted}, {"errors", errors},
                {"accepted_per_second", accepted / seconds}, {"p50_ms", pct(0.5)}, {"p99_ms", pct(0.99)},
                {"max_ms", latencies_us.empty() ? 0.0 : latencies_us.back() / 1000.0}, {"seconds", seconds},
                {"payload_bytes", base.size()}, {"expected_points", expected_points}};
    std::cout << result.dump() << std::endl;
    return errors == 0 ? 0 : 1;
}
