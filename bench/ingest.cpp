// Ingest benchmark: signed merged-PR deliveries of real size (GitHub, or Gitee with
// --host gitee) over keep-alive loopback connections. Prints one JSON line of results.
// usage: ingest --port P --secret S [--host github|gitee] --example index.json [--connections 32] [--seconds 20]
//               [--authors 1000] [--repo o/r]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clock.hpp"
#include "load_client.hpp"
#include "signatures.hpp"

namespace {

using nlohmann::json;

// A body cut once at its placeholders, so each delivery is one pass of appends instead
// of three find-and-replace passes over 25 KB (the generator shares the cores with the
// server and Redis: 27 -> 25.3-26.2 us of CPU per delivery).
class body_template {
public:
    body_template(const std::string& text, const std::vector<std::string>& placeholders) {
        std::size_t from = 0;
        while (true) {
            std::size_t best = std::string::npos, which = 0;
            for (std::size_t i = 0; i < placeholders.size(); ++i)
                if (auto at = text.find(placeholders[i], from); at < best) best = at, which = i;
            pieces_.push_back(text.substr(from, best == std::string::npos ? std::string::npos : best - from));
            if (best == std::string::npos) break;
            slots_.push_back(which);
            from = best + placeholders[which].size();
        }
        for (const auto& piece : pieces_) literal_bytes_ += piece.size();
    }
    std::string fill(const std::vector<std::string>& values) const {
        std::string out;
        out.reserve(literal_bytes_ + 32 * slots_.size());
        out += pieces_[0];
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            out += values[slots_[i]];
            out += pieces_[i + 1];
        }
        return out;
    }
private:
    std::vector<std::string> pieces_;
    std::vector<std::size_t> slots_;  // which placeholder stands between pieces_[i] and pieces_[i + 1]
    std::size_t literal_bytes_ = 0;
};

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

// A Gitee "Merge Request Hook" body built from the documented field paths, with the
// repository objects Gitee repeats (head, base, repository, project) at their usual size.
json gitee_user(const std::string& login) {
    return {{"id", 4930582}, {"name", login}, {"email", login + "@example.org"}, {"username", login}, {"user_name", login},
            {"url", "https://gitee.com/" + login}, {"login", login}, {"avatar_url", "https://gitee.com/assets/no_portrait.png"},
            {"html_url", "https://gitee.com/" + login}, {"type", "User"}, {"site_admin", false}, {"time", nullptr}, {"remark", nullptr}};
}

json gitee_repo(const std::string& repo) {
    auto owner = repo.substr(0, repo.find('/'));
    auto name = repo.substr(repo.find('/') + 1);
    std::string html = "https://gitee.com/" + repo;
    return {{"id", 8221842}, {"name", name}, {"path", name}, {"full_name", repo}, {"owner", gitee_user(owner)},
            {"private", false}, {"html_url", html}, {"url", "https://gitee.com/api/v5/repos/" + repo},
            {"description", "A deep learning framework for everyone: training, inference and deployment on any device."},
            {"fork", false}, {"created_at", "2020-03-27T15:22:04+08:00"}, {"updated_at", "2026-11-20T10:11:12+08:00"},
            {"pushed_at", "2026-11-20T10:11:12+08:00"}, {"git_url", "git://gitee.com/" + repo + ".git"},
            {"ssh_url", "git@gitee.com:" + repo + ".git"}, {"clone_url", html + ".git"}, {"svn_url", "svn://gitee.com/" + repo},
            {"git_http_url", html + ".git"}, {"git_ssh_url", "git@gitee.com:" + repo + ".git"}, {"git_svn_url", "svn://gitee.com/" + repo},
            {"homepage", "https://www.example.org"}, {"stargazers_count", 8123}, {"watchers_count", 901}, {"forks_count", 4123},
            {"language", "Python"}, {"has_issues", true}, {"has_wiki", true}, {"has_pages", false}, {"license", "Apache-2.0"},
            {"open_issues_count", 1203}, {"default_branch", "master"}, {"namespace", owner},
            {"name_with_namespace", "示例组织/" + name}, {"path_with_namespace", repo}};
}

std::string gitee_template(const std::string& repo) {
    json pr{{"id", 900000001}, {"number", 900000001}, {"state", "merged"},
            {"html_url", "https://gitee.com/" + repo + "/pulls/900000001"},
            {"diff_url", "https://gitee.com/" + repo + "/pulls/900000001.diff"},
            {"patch_url", "https://gitee.com/" + repo + "/pulls/900000001.patch"},
            {"title", "修复: benchmark change 900000001"},
            {"body", "修复了在特定输入下的数值溢出问题，并补充了单元测试。Fixes a numeric overflow on some inputs; adds unit tests."},
            {"labels", json::array({{{"id", 1}, {"name", "LABEL_PLACEHOLDER"}, {"color", "e11d21"}}})},
            {"created_at", "2026-12-02T09:00:00+08:00"}, {"updated_at", "2026-12-02T18:00:00+08:00"},
            {"closed_at", "2026-12-02T18:00:00+08:00"}, {"merged_at", "2026-12-02T18:00:00+08:00"},
            {"merge_commit_sha", "51b1b3ed7b3bd39a0a2a0b4e1b1c0c8a7c36e2d1"}, {"merge_reference_name", "refs/pull/900000001/MERGE"},
            {"user", gitee_user("AUTHOR_PLACEHOLDER")}, {"assignee", gitee_user("maintainer")}, {"tester", gitee_user("tester")},
            {"assignees", json::array({gitee_user("maintainer")})}, {"testers", json::array({gitee_user("tester")})},
            {"need_test", true}, {"need_review", true}, {"merged", true}, {"mergeable", true}, {"merge_status", "can_be_merged"},
            {"head", {{"label", "feature"}, {"ref", "feature"}, {"sha", "4e1b1c0c8a7c36e2d151b1b3ed7b3bd39a0a2a0b"},
                      {"user", gitee_user("AUTHOR_PLACEHOLDER")}, {"repo", gitee_repo(repo)}}},
            {"base", {{"label", "master"}, {"ref", "master"}, {"sha", "0c8a7c36e2d151b1b3ed7b3bd39a0a2a0b4e1b1c"},
                      {"user", gitee_user("maintainer")}, {"repo", gitee_repo(repo)}}},
            {"comments", 3}, {"commits", 2}, {"additions", 41}, {"deletions", 7}, {"changed_files", 3}};
    json body{{"action", "merge"}, {"action_desc", ""}, {"hook_name", "merge_request_hooks"}, {"hook_id", 1084223},
              {"hook_url", "https://gitee.com/" + repo + "/hooks/1084223/edit"}, {"password", ""}, {"timestamp", "0"}, {"sign", ""},
              {"pull_request", pr}, {"number", 900000001}, {"iid", 900000001}, {"title", pr["title"]}, {"body", pr["body"]},
              {"state", "merged"}, {"merge_status", "can_be_merged"}, {"url", pr["html_url"]}, {"source_branch", "feature"},
              {"source_repo", {{"project", gitee_repo(repo)}, {"repository", gitee_repo(repo)}}}, {"target_branch", "master"},
              {"target_repo", {{"project", gitee_repo(repo)}, {"repository", gitee_repo(repo)}}},
              {"project", gitee_repo(repo)}, {"repository", gitee_repo(repo)}, {"author", gitee_user("AUTHOR_PLACEHOLDER")},
              {"updated_by", gitee_user("maintainer")}, {"sender", gitee_user("maintainer")}, {"target_user", gitee_user("maintainer")},
              {"enterprise", nullptr}};
    return body.dump();
}

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name) return argv[i + 1];
    return fallback;
}

// GitCode's merge request hook with the fields its capture has (GitLab's shape, +08:00 times).
std::string gitcode_template(const std::string& repo) {
    std::string web = "https://gitcode.com/" + repo;
    auto slash = repo.find('/');
    json project{{"id", 4163304}, {"name", repo.substr(slash + 1)}, {"namespace", repo.substr(0, slash)}, {"path_with_namespace", repo},
                 {"web_url", web}, {"homepage", web}, {"git_http_url", web + ".git"}, {"git_ssh_url", "git@gitcode.com:" + repo + ".git"},
                 {"http_url", web + ".git"}, {"ssh_url", "git@gitcode.com:" + repo + ".git"}, {"url", "git@gitcode.com:" + repo + ".git"},
                 {"default_branch", "main"}, {"visibility_level", 20}, {"description", "the framework"}, {"avatar_url", nullptr},
                 {"ci_config_path", nullptr}};
    json author{{"id", 858059}, {"name", "AUTHOR_PLACEHOLDER"}, {"username", "AUTHOR_PLACEHOLDER"}, {"email", "dummy@example.org"},
                {"avatar_url", "https://gitcode.com/assets/no_portrait.png"}};
    json commit{{"id", "7d4a831f43bf640007053d98936a6e2a89936c53"}, {"message", "fix: a crash"}, {"timestamp", "2026-11-20T02:32:14Z"},
                {"url", web + "/commit/7d4a831f43bf640007053d98936a6e2a89936c53"}, {"author", {{"name", "dev"}, {"email", "dev@example.org"}}}};
    json attributes{{"id", 190370}, {"iid", 900000001}, {"title", "fix: crash 900000001"}, {"description", "a fix, with its tests"},
                    {"state", "merged"}, {"action", "merge"}, {"url", web + "/merge_requests/900000001"}, {"target_branch", "main"},
                    {"source_branch", "fix-crash"}, {"source_project_id", 4163304}, {"target_project_id", 4163304},
                    {"created_at", "2026-12-02T10:32:40+08:00"}, {"updated_at", "2026-12-02T18:00:00+08:00"}, {"merge_status", "can_be_merged"},
                    {"author_id", 858059}, {"author", author}, {"last_commit", commit}, {"source", project}, {"target", project},
                    {"work_in_progress", false}, {"merge_params", {{"force_remove_source_branch", false}}}, {"merge_commit_sha", nullptr}};
    json body{{"object_kind", "merge_request"}, {"event_type", "merge_request"}, {"user", author}, {"project", project},
              {"repository", {{"name", repo.substr(slash + 1)}, {"homepage", web}, {"url", "git@gitcode.com:" + repo + ".git"}}},
              {"object_attributes", attributes},
              {"labels", json::array({{{"id", 12739266}, {"title", "LABEL_PLACEHOLDER"}, {"color", "#B4B4B4"}, {"project_id", 4163304},
                                       {"type", "ProjectLabel"}, {"description", ""}}})},
              {"changes", {{"state", {{"previous", "opened"}, {"current", "merged"}}}}}, {"uuid", "0c7f8d1e2b3a4c5d6e7f8091a2b3c4d5"}};
    return body.dump();
}

}  // namespace

int main(int argc, char** argv) {
    std::string secret = arg(argc, argv, "--secret", "");
    std::string examples = arg(argc, argv, "--example", "");
    std::string repo = arg(argc, argv, "--repo", "example-org/framework");
    std::string host = arg(argc, argv, "--host", "github");
    int authors = std::stoi(arg(argc, argv, "--authors", "1000"));
    if (secret.empty() || (host == "github" && examples.empty()) || (host != "github" && host != "gitee" && host != "gitcode")) {
        std::cerr << "usage: ingest --port P --secret S [--host github|gitee|gitcode] --example index.json [--connections 32] [--seconds 20] [--authors 1000]\n";
        return 64;
    }
    const std::string base = host == "github" ? payload_template(examples, repo) : host == "gitee" ? gitee_template(repo) : gitcode_template(repo);
    const body_template filled(base, {"900000001", "AUTHOR_PLACEHOLDER", "LABEL_PLACEHOLDER"});
    // Gitee refuses a (timestamp, token) pair it has seen: every delivery gets its own
    // millisecond, counting up from four minutes ago (the bench allows a one-hour window).
    const long long first_timestamp = lb::engine::now_millis() - 240000;  // the engine's clock, a test clock too
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
        std::string body = filled.fill({std::to_string(number), "user" + std::to_string(number % authors), labels[label]});
        if (host == "gitcode") {
            return "POST /hooks/gitcode HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                   "X-GitCode-Event: Merge Request Hook\r\nX-GitCode-Delivery: bench-" + std::to_string(number) +
                   "\r\nX-GitCode-Token: " + secret + "\r\nUser-Agent: git-gitcode-hook\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body;
        }
        if (host == "gitee") {
            std::string timestamp = std::to_string(first_timestamp + number);
            return "POST /hooks/gitee HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                   "X-Gitee-Event: Merge Request Hook\r\nX-Gitee-Timestamp: " + timestamp +
                   "\r\nX-Gitee-Token: " + lb::webhooks::gitee_signature(secret, timestamp) +
                   "\r\nUser-Agent: git-oschina-hook\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        }
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
