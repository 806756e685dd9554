"""Black-box tests of reconcile (against a stand-in of the hosts' REST APIs), record, replay and reset."""
import json
import os
import re
import signal
import subprocess
import time
import unittest

from harness import BINARY, Server, cli, redis_cli, redis_url, write_config
from harness import now as test_now
from host_standin import HostStandIn, api_pull, delivery
from payloads import gitee_delivery, gitee_pr, github_delivery, github_pr

GITHUB_SECRET = "It's a Secret to Everybody"
GITEE_SECRET = "bBg5lrt03VixkX85CNqYIcecC0SIGASE"
GITHUB_TOKEN, GITEE_TOKEN = "ghp_standInToken0123456789", "gitee-stand-in-token-42"
ENV = {"LB_GITHUB_SECRET": GITHUB_SECRET, "LB_GITEE_SECRET": GITEE_SECRET, "LB_ADMIN_TOKEN": "t",
       "LB_GITHUB_TOKEN": GITHUB_TOKEN, "LB_GITEE_TOKEN": GITEE_TOKEN}
HOOK_ID = 4242
RULES = {"pull_requests": {"base_points": 1, "label_points": {"bug": 10, "documentation": 2}}}


def contest(id, **extra):
    return dict({
        "id": id, "title": {"en": id, "zh": id},
        "starts_at": "2026-11-25T00:00:00Z", "ends_at": "2026-12-31T00:00:00Z",
        "repos": ["github:Codertocat/Hello-World", "gitee:example-org/framework"],
        "teams": [{"id": "shanghai", "name": "上海", "kind": "city"}, {"id": "beijing", "name": "北京", "kind": "city"}],
        "participants": [{"id": "octo", "name": "Octo", "github": "Codertocat", "teams": ["shanghai"]},
                         {"id": "mona", "name": "Mona", "github": "monalisa", "teams": ["beijing"]},
                         {"id": "chen", "name": "陈晨", "gitee": "chen", "teams": ["shanghai"]},
                         {"id": "li", "name": "李雷", "gitee": "lilei", "teams": ["beijing"]}],
        "rules": RULES}, **extra)


def config_document(api_base, contests):
    return {"admin_token_env": "LB_ADMIN_TOKEN",
            "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET", "api_url": api_base, "token_env": "LB_GITHUB_TOKEN"},
                         "gitee": {"secret_env": "LB_GITEE_SECRET", "api_url": api_base + "/api/v5", "token_env": "LB_GITEE_TOKEN"}},
            "contests": contests}


def points_of(labels):
    return 1 + max([{"bug": 10, "documentation": 2}.get(l, 0) for l in labels] or [0])


def recently(n, hours=0):
    """A delivery time inside the three days GitHub keeps deliveries for."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(test_now() - 2 * 86400 + n * 60 + hours * 3600))


def minute(n, hours=0):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.mktime((2026, 11, 26, 8 + hours, n, 0, 0, 0, 0)) - time.timezone))


class Reconcile(unittest.TestCase):
    DB = 44

    def setUp(self):
        redis_cli(self.DB, "FLUSHDB")
        self.standin = HostStandIn(page_size=30)
        self.config = write_config(config_document(self.standin.base, [contest("week")]))
        self.host = {}  # subject -> labels the host shows now
        self.build_history()

    def tearDown(self):
        self.standin.stop()

    def build_history(self):
        """100 merged PRs on the hosts (70 on GitHub, 30 on Gitee); 70 of them reached us by webhook,
        10 of those since relabelled on the host; 5 closed without merging."""
        self.delivered = []
        github_authors, gitee_authors = ["Codertocat", "monalisa"], ["chen", "lilei"]
        labels_for = lambda n: [("bug",), ("documentation",), ()][n % 3]
        self.relabelled = {3, 8, 15, 22, 40, 104, 106, 110, 113, 118}
        pulls, gitee_pulls, attempts = [], [], []
        for n in range(1, 71):
            merged = minute(n)
            before = github_pr(number=n, author=github_authors[n % 2], labels=labels_for(n), merged_at=merged)
            labels = ("bug", "documentation") if n in self.relabelled else labels_for(n)
            now = github_pr(action="labeled" if n in self.relabelled else "closed", number=n, author=github_authors[n % 2],
                            labels=labels, merged_at=merged, updated_at=minute(n, hours=5) if n in self.relabelled else None)
            pulls.append(api_pull(now["pull_request"]))
            self.host[f"github:codertocat/hello-world#{n}"] = labels
            guid = f"9f1b4d2e-0000-11f1-8000-{n:012d}"
            if n < 50:
                self.delivered.append(github_delivery(GITHUB_SECRET, before, delivery=guid))
                if n <= 3:  # failed first, then a redelivery got through
                    attempts.append(delivery(10_000 + n, guid, 502, recently(n)))
                    attempts.append(delivery(20_000 + n, guid, 200, recently(n, hours=1), redelivery=True))
                else:
                    attempts.append(delivery(10_000 + n, guid, 200, recently(n)))
            else:  # the receiver was down: no 2xx, in one or two attempts
                attempts.append(delivery(10_000 + n, guid, 502 if n % 2 else 0, recently(n)))
                if n >= 65:
                    attempts.append(delivery(20_000 + n, guid, 504, recently(n, hours=1), redelivery=True))
        # Failed four days ago: GitHub no longer keeps it, so it is not asked for.
        attempts.append(delivery(30_002, "cc33cc33-0000-11f1-8000-000000000002", 502, recently(0, hours=-48)))
        self.expected_redeliveries = sorted((20_000 + n) if n >= 65 else (10_000 + n) for n in range(50, 71))
        attempts.append(delivery(30_001, "aa11aa11-0000-11f1-8000-000000000001", 502, recently(5), event="issues", action="opened"))
        for n in range(71, 76):  # closed without merging: listed, never scored
            pulls.append(api_pull(github_pr(number=n, merged=False, merged_at=minute(n))["pull_request"]))
        for n in range(101, 131):
            merged = minute(n - 100, hours=2)
            labels_before = labels_for(n)
            labels = ("bug", "documentation") if n in self.relabelled else labels_before
            updated = minute(n - 100, hours=6) if n in self.relabelled else merged
            gitee_pulls.append(gitee_pr(number=n, author=gitee_authors[n % 2], labels=labels, merged_at=merged, updated_at=updated)["pull_request"])
            self.host[f"gitee:example-org/framework#{n}"] = labels
            if n <= 121:
                self.delivered.append(("gitee", gitee_pr(number=n, author=gitee_authors[n % 2], labels=labels_before, merged_at=merged)))
        self.standin.github_pulls["codertocat/hello-world"] = pulls
        self.standin.gitee_pulls["example-org/framework"] = gitee_pulls
        self.standin.hooks["codertocat/hello-world"] = [
            {"type": "Repository", "id": HOOK_ID, "name": "web", "active": True, "events": ["pull_request"],
             "config": {"content_type": "json", "insecure_ssl": "0", "url": "https://leaderboard.example.org/hooks/github"},
             "updated_at": "2026-11-20T08:00:00Z", "created_at": "2026-11-20T08:00:00Z"},
            {"type": "Repository", "id": 7, "name": "web", "active": True, "events": ["push"],
             "config": {"content_type": "json", "url": "https://ci.example.org/push"}}]
        self.standin.deliveries[HOOK_ID] = attempts
        self.standin.deliveries[7] = [delivery(40_001, "bb22", 500, minute(1), event="push")]

    def deliver_webhooks(self, server):
        for item in self.delivered:
            if item[0] == "gitee":
                body, headers = gitee_delivery(GITEE_SECRET, item[1])
                status, answer = server.json("POST", "/hooks/gitee", body, headers)
            else:
                status, answer = server.json("POST", "/hooks/github", item[0], item[1])
            self.assertEqual((status, answer["outcome"]), (200, "applied"), answer)

    def reconcile(self, *extra):
        env = dict(os.environ, **ENV)
        return cli("reconcile", "--config", self.config, "--contest", "week", "--redis", redis_url(self.DB), *extra, env=env)

    def ledger(self):
        records = [json.loads(line) for line in redis_cli(self.DB, "HVALS", "lb:{week}:ledger").splitlines() if line]
        return {record["subject"]: record for record in records}

    def test_missing_merges_are_found_each_counted_once_in_the_hosts_state(self):
        server = Server(self.config, redis_url(self.DB), ENV)
        try:
            server.wait_ready()
            self.deliver_webhooks(server)
        finally:
            server.stop()
        self.assertEqual(len(self.ledger()), 70)

        dry = self.reconcile("--dry-run")
        self.assertEqual(dry.returncode, 0, dry.stdout + dry.stderr)
        # 30 missing and 10 relabelled since; two relabels (bug -> bug + documentation, label_mode max) keep their
        # points, so they count as counted already (their state is still brought up to the host's).
        self.assertIn("dry run: seen 100, already counted 62, would score 38, would redeliver 21, errors 0", dry.stdout)
        self.assertEqual(len(self.ledger()), 70)
        self.assertEqual(self.standin.redelivered, [])

        result = self.reconcile()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("seen 100, already counted 62, newly scored 38, redelivered 21, errors 0", result.stdout)
        self.assertIn("github:codertocat/hello-world: seen 70", result.stdout)
        self.assertIn("gitee:example-org/framework: seen 30", result.stdout)
        self.assertEqual(sorted(self.standin.redelivered), self.expected_redeliveries)  # failed pull_request deliveries only

        ledger = self.ledger()
        self.assertEqual(sorted(ledger), sorted(self.host))
        for subject, record in ledger.items():
            self.assertEqual(sorted(record["details"]["labels"]), sorted(self.host[subject]), subject)
            self.assertEqual(record["points"], points_of(self.host[subject]) * 100, subject)
        status_total = sum(points_of(labels) for labels in self.host.values())
        board = json.loads(cli("export", "--config", self.config, "--contest", "week", "--redis", redis_url(self.DB), "--live").stdout)
        self.assertEqual(sum(row["points"] for row in board["rows"]), status_total)

        # The tokens went to the hosts the way each expects, and never into what we print.
        github_requests = [r for r in self.standin.requests if not r[1].startswith("/api/v5")]
        gitee_requests = [r for r in self.standin.requests if r[1].startswith("/api/v5")]
        self.assertTrue(all(r[2].get("Authorization") == "Bearer " + GITHUB_TOKEN for r in github_requests))
        self.assertTrue(all("access_token=" + GITEE_TOKEN in r[1] for r in gitee_requests))
        for token in (GITHUB_TOKEN, GITEE_TOKEN):
            self.assertNotIn(token, result.stdout + result.stderr)
            self.assertNotIn(token, redis_cli(self.DB, "HGETALL", "lb:{week}:reconcile:etags"))

        # Again: the first pages are asked for conditionally and answer 304; nothing changes.
        asked_before = len(self.standin.requests)
        again = self.reconcile()
        self.assertIn("seen 0, already counted 0, newly scored 0, redelivered 0, errors 0", again.stdout)
        conditional = [r for r in self.standin.requests[asked_before:] if "If-None-Match" in r[2]]
        self.assertEqual(len(conditional), 2)
        self.assertEqual(self.ledger(), ledger)

    def test_a_rate_limited_host_is_waited_out(self):
        self.standin.rate_limited = 2
        started = time.time()
        result = self.reconcile()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertGreaterEqual(time.time() - started, 1.5)
        self.assertIn("rate limited, waiting", result.stdout)
        self.assertIn("seen 100, already counted 0, newly scored 100, redelivered 21, errors 0", result.stdout)

    def test_bad_answers_are_errors_that_change_nothing_else(self):
        self.standin.gitee_pulls["example-org/framework"][0]["user"] = "not an object"
        self.standin.github_pulls["codertocat/hello-world"][1]["merged_at"] = "yesterday"
        result = self.reconcile()
        self.assertEqual(result.returncode, 1)
        self.assertIn("user.login: expected a string", result.stdout)
        self.assertIn("merged_at: expected an RFC 3339 time or null", result.stdout)
        self.assertEqual(len(self.ledger()), 98)  # every other PR scored
        self.assertEqual(redis_cli(self.DB, "HLEN", "lb:{week}:reconcile:etags").strip(), "0")  # asked whole next time

    def test_serve_reconciles_on_a_schedule_with_metrics(self):
        config = write_config(config_document(self.standin.base, [contest("week", reconcile_every_minutes=30)]))
        server = Server(config, redis_url(self.DB), ENV)
        try:
            server.wait_ready()
            deadline = time.time() + 30
            while time.time() < deadline and len(self.ledger()) < 100:
                time.sleep(0.2)
            self.assertEqual(len(self.ledger()), 100, server.log())
            deadline = time.time() + 10
            while time.time() < deadline:
                text = server.request("GET", "/metrics")[2]
                if 'lb_reconcile_runs_total{contest="week",result="ok"} 1' in text:
                    break
                time.sleep(0.2)
            self.assertIn('lb_reconcile_runs_total{contest="week",result="ok"} 1', text)
            self.assertIn('lb_reconcile_pull_requests_total{contest="week",what="scored"} 100', text)
        finally:
            server.stop()


class Rehearsal(unittest.TestCase):
    DB = 43

    def setUp(self):
        redis_cli(self.DB, "FLUSHDB")
        self.config = write_config(config_document("http://127.0.0.1:9", [contest("week"), contest("rehearsal", repos=["github:example-org/rehearsal-only"])]))
        self.file = self.config + ".recording.ndjson"
        server = Server(self.config, redis_url(self.DB), ENV)
        try:
            server.wait_ready()
            for n in range(1, 21):
                body, headers = github_delivery(GITHUB_SECRET, github_pr(number=n, author=["Codertocat", "monalisa"][n % 2],
                                                                         labels=[("bug",), ("documentation",), ()][n % 3], merged_at=minute(n)))
                self.assertEqual(server.json("POST", "/hooks/github", body, headers)[1]["outcome"], "applied")
            for n in (2, 5, 8):  # relabelled later: a newer state of the same PR
                body, headers = github_delivery(GITHUB_SECRET, github_pr(action="labeled", number=n, author=["Codertocat", "monalisa"][n % 2],
                                                                         labels=("bug",), merged_at=minute(n), updated_at=minute(n, hours=3)))
                self.assertEqual(server.json("POST", "/hooks/github", body, headers)[1]["outcome"], "applied")
            for n in range(101, 106):
                body, headers = gitee_delivery(GITEE_SECRET, gitee_pr(number=n, author=["chen", "lilei"][n % 2], merged_at=minute(n - 100, hours=1)))
                self.assertEqual(server.json("POST", "/hooks/gitee", body, headers)[1]["outcome"], "applied")
            status, answer = server.json("POST", "/api/contests/week/adjustments", json.dumps({"participant": "li", "points": 7, "reason": "talk"}),
                                         {"Authorization": "Bearer t", "Content-Type": "application/json"})
            self.assertEqual(status, 201, answer)
        finally:
            server.stop()

    def run_cli(self, *args):
        return cli(*args, "--redis", redis_url(self.DB))

    def standings(self, contest_id):
        out = {}
        for board in ("participants", "teams:city"):
            for form in ("json", "csv"):
                text = self.run_cli("export", "--config", self.config, "--contest", contest_id, "--board", board, "--format", form, "--live").stdout
                out[board, form] = json.dumps(json.loads(text)["rows"], ensure_ascii=False) if form == "json" else text
        return out

    def record(self, spacing_ms=None):
        result = self.run_cli("record", "--config", self.config, "--contest", "week", "--out", self.file)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(self.file) as f:
            lines = f.read().splitlines()
        self.assertEqual(json.loads(lines[0])["awards"], len(lines) - 1)
        self.assertEqual(len(lines) - 1, int(redis_cli(self.DB, "XLEN", "lb:{week}:log")))
        if spacing_ms:  # the same awards as if they had come spacing_ms apart
            items = [json.loads(line) for line in lines[1:]]
            for i, item in enumerate(items):
                item["t"] = items[0]["t"] + i * spacing_ms
            with open(self.file, "w") as f:
                f.write("\n".join([lines[0]] + [json.dumps(item, ensure_ascii=False) for item in items]) + "\n")
        return len(lines) - 1

    def applied_times_ms(self, contest_id):
        ids = [line for line in redis_cli(self.DB, "XRANGE", "lb:{%s}:log" % contest_id, "-", "+").splitlines() if re.fullmatch(r"\d+-\d+", line)]
        return [int(i.split("-")[0]) for i in ids]

    def test_replay_at_60x_reproduces_the_standings_and_the_timing(self):
        count = self.record(spacing_ms=12_000)  # 29 awards over 336 s recorded: 5.6 s at 60x
        self.assertEqual(count, 29)
        result = self.run_cli("replay", "--config", self.config, "--contest", "rehearsal", "--file", self.file, "--speed", "60")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("replayed 29 awards into rehearsal", result.stdout)
        self.assertIn("[####################] 29/29 awards, 05:36 of 05:36 recorded", result.stderr)
        self.assertEqual(self.standings("rehearsal"), self.standings("week"))
        times = self.applied_times_ms("rehearsal")
        self.assertEqual(len(times), 29)
        expected_span = 28 * 12_000 / 60
        self.assertLessEqual(abs((times[-1] - times[0]) - expected_span), 0.05 * expected_span, times)
        for i, t in enumerate(times):
            self.assertLessEqual(abs((t - times[0]) - i * 12_000 / 60), 0.05 * expected_span, (i, t - times[0]))

    def test_a_stopped_replay_resumes_and_a_finished_one_is_not_played_twice(self):
        self.record(spacing_ms=12_000)
        args = [BINARY, "replay", "--config", self.config, "--contest", "rehearsal", "--file", self.file, "--speed", "60",
                "--redis", redis_url(self.DB)]
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2.5)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
        self.assertEqual(process.returncode, 130, out + err)
        stopped_before = int(re.search(r"stopped before award (\d+) of 29", out).group(1))
        self.assertEqual(len(self.applied_times_ms("rehearsal")), stopped_before - 1)
        self.assertNotEqual(self.standings("rehearsal"), self.standings("week"))
        again = self.run_cli(*args[1:-2])
        self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
        self.assertIn(f"resuming at award {stopped_before} of 29", again.stdout)
        self.assertEqual(self.standings("rehearsal"), self.standings("week"))
        third = self.run_cli(*args[1:-2])
        self.assertIn("replayed into rehearsal whole already", third.stdout)
        self.assertEqual(len(self.applied_times_ms("rehearsal")), 29)

    def test_reset_refuses_without_yes_and_then_clears_only_its_contest(self):
        self.record()
        self.assertEqual(self.run_cli("replay", "--config", self.config, "--contest", "rehearsal", "--file", self.file, "--speed", "max").returncode, 0)
        week_before = self.standings("week")
        keys = lambda c: [k for k in redis_cli(self.DB, "KEYS", "lb:{%s}:*" % c).splitlines() if k]
        count = len(keys("rehearsal"))
        self.assertGreater(count, 5)
        refused = self.run_cli("reset", "--config", self.config, "--contest", "rehearsal")
        self.assertEqual(refused.returncode, 2)
        self.assertIn(f"reset deletes all {count} keys of contest rehearsal", refused.stderr)
        self.assertIn("nothing was deleted", refused.stderr)
        self.assertEqual(len(keys("rehearsal")), count)
        done = self.run_cli("reset", "--config", self.config, "--contest", "rehearsal", "--yes")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(keys("rehearsal"), [])
        self.assertEqual(self.standings("week"), week_before)
        self.assertEqual(json.loads(self.run_cli("export", "--config", self.config, "--contest", "rehearsal", "--live").stdout)["rows"], [])

    def test_a_bad_recording_applies_nothing(self):
        self.record()
        with open(self.file) as f:
            lines = f.read().splitlines()
        same_t = json.loads(lines[2])["t"]
        for broken, message in [(lines[:2] + [lines[3], lines[2]] + lines[4:], "line 4: t: earlier than the line before"),
                                (lines[:3] + ['{"t": %d, "award": {"subject": 5}}' % same_t] + lines[3:], "line 4: award: expected an award record"),
                                (lines[1:], "line 1: recording: expected the header"),
                                (lines[:2] + ["[" * 100] + lines[2:], "line 3: nested deeper than 32 levels")]:
            with self.subTest(message=message):
                with open(self.file, "w") as f:
                    f.write("\n".join(broken) + "\n")
                result = self.run_cli("replay", "--config", self.config, "--contest", "rehearsal", "--file", self.file, "--speed", "max")
                self.assertEqual(result.returncode, 2)
                self.assertIn(message, result.stderr)
                self.assertIn("(nothing was applied)", result.stderr)
                self.assertEqual(self.applied_times_ms("rehearsal"), [])
        self.assertEqual(self.run_cli("replay", "--config", self.config, "--contest", "rehearsal", "--file", self.file, "--speed", "0").returncode, 64)


if __name__ == "__main__":
    unittest.main()
