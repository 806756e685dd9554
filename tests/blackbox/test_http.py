"""Black-box tests: the real binary, a real Redis, HTTP over loopback."""
import json
import os
import socket
import time
import unittest

from harness import example_prs, example_time, still_running, EXAMPLES, Server, cli, redis_cli, redis_url, write_config

DB = 40
CONTEST = "winter-bugbash"
TOKEN = "test-admin-token-4f1c"
SECRET = "github-secret-never-shown"
ADMIN = {"Authorization": "Bearer " + TOKEN}


def example_config():
    with open(os.path.join(EXAMPLES, "geekweek.json"), encoding="utf-8") as f:
        document = json.load(f)
    # The copy is written elsewhere: CSV files it names stay where the example is.
    for contest in document["contests"]:
        for key in ("teams_file", "participants_file"):
            if key in contest:
                contest[key] = os.path.abspath(os.path.join(EXAMPLES, contest[key]))
    document["branding_dir"] = os.path.abspath(os.path.join(EXAMPLES, "branding"))
    still_running(document)
    return document


class EngineOverHttp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        redis_cli(DB, "FLUSHDB")
        cls.config = write_config(example_config())
        cls.redis = redis_url(DB)
        done = cli("import-prs", "--config", cls.config, "--contest", CONTEST,
                   "--file", example_prs("geekweek-prs.ndjson"), "--redis", cls.redis)
        assert done.returncode == 0, done.stderr
        cls.server = Server(cls.config, cls.redis, {"LB_ADMIN_TOKEN": TOKEN, "LB_GITHUB_SECRET": SECRET})
        cls.server.wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def standings(self, query=""):
        return self.server.json("GET", f"/api/contests/{CONTEST}/standings{query}")

    def test_standings_rank_by_points_then_time(self):
        status, body = self.standings("?board=participants")
        self.assertEqual(status, 200)
        self.assertEqual(body["contest"], CONTEST)
        self.assertEqual(body["total"], 6)
        self.assertFalse(body["frozen"])
        ids = [row["id"] for row in body["rows"]]
        self.assertEqual(ids[:4], ["alice", "chen", "dong", "fang"])  # all 11 points: earliest first
        first = body["rows"][0]
        self.assertEqual((first["rank"], first["points"], first["reached_at"]), (1, 11, example_time("2026-11-17T02:12:00Z")))
        self.assertEqual(first["teams"], {"city": "shanghai", "school": "zju"})

    def test_team_boards_and_csv(self):
        status, body = self.standings("?board=teams:school")
        self.assertEqual(status, 200)
        self.assertEqual([(r["id"], r["points"]) for r in body["rows"]], [("pku", 14), ("zju", 11), ("sjtu", 11)])
        self.assertEqual(body["rows"][1]["name_zh"], "浙江大学")
        self.assertEqual(body["rows"][1]["kind"], "school")
        status, headers, text = self.server.request("GET", f"/api/contests/{CONTEST}/standings?board=teams:city&format=csv")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/csv"))
        self.assertEqual(text.splitlines()[0], "rank,id,name,points,reached_at,kind")
        self.assertEqual(text.splitlines()[1], "1,shanghai,Shanghai,22," + example_time("2026-11-18T07:45:00Z") + ",city")

    def test_paging(self):
        status, body = self.standings("?limit=2&offset=2")
        self.assertEqual(status, 200)
        self.assertEqual([r["rank"] for r in body["rows"]], [3, 4])
        self.assertEqual(body["total"], 6)

    def test_bad_queries_get_clear_errors(self):
        cases = [
            ("/api/contests/nope/standings", 404, "unknown_contest"),
            (f"/api/contests/{CONTEST}/standings?board=teams:province", 404, "unknown_board"),
            (f"/api/contests/{CONTEST}/standings?limit=0", 400, "bad_query"),
            (f"/api/contests/{CONTEST}/standings?limit=ten", 400, "bad_query"),
            (f"/api/contests/{CONTEST}/standings?offset=-1", 400, "bad_query"),
            (f"/api/contests/{CONTEST}/standings?format=xml", 400, "bad_query"),
            (f"/api/contests/{CONTEST}/events?after=yesterday", 400, "bad_query"),
            (f"/api/contests/{CONTEST}/participants/nobody", 404, "unknown_participant"),
            ("/api/contests/%zz", 400, "bad_target"),
            ("/api/nothing", 404, "not_found"),
        ]
        for path, status, code in cases:
            with self.subTest(path=path):
                got_status, body = self.server.json("GET", path)
                self.assertEqual(got_status, status)
                self.assertEqual(body["error"], code)
                self.assertTrue(body["message"])
        status, body = self.server.json("POST", f"/api/contests/{CONTEST}/standings", b"{}")
        self.assertEqual((status, body["error"]), (405, "method_not_allowed"))

    def test_contest_description_never_shows_secrets(self):
        for path in ["/api/contests", f"/api/contests/{CONTEST}"]:
            status, _, text = self.server.request("GET", path)
            self.assertEqual(status, 200)
            self.assertNotIn(SECRET, text)
            self.assertNotIn(TOKEN, text)
        status, body = self.server.json("GET", f"/api/contests/{CONTEST}")
        self.assertEqual(body["title"]["zh"], "冬季 Bug 大扫除")
        self.assertIn("teams:school", body["boards"])
        self.assertEqual(body["rules"]["pull_requests"]["label_points"]["bug"], 10)

    def test_participant_explains_points(self):
        status, body = self.server.json("GET", f"/api/contests/{CONTEST}/participants/alice")
        self.assertEqual(status, 200)
        self.assertEqual(body["points"], 11)
        self.assertEqual(body["boards"]["participants"]["rank"], 1)
        # Every award is listed, the spam-labelled PR too, with why it is worth 0.
        by_reason = {a["reason"]: a for a in body["awards"]}
        self.assertEqual(len(body["awards"]), 2)
        self.assertEqual(by_reason["base 1 + bug 10"]["counted"], 11)
        self.assertIn("/pull/101", by_reason["base 1 + bug 10"]["details"]["url"])
        spam = next(a for a in body["awards"] if a["counted"] == 0)
        self.assertIn("spam", spam["reason"])

    def test_events_are_ndjson_and_resumable(self):
        status, headers, text = self.server.request("GET", f"/api/contests/{CONTEST}/events?limit=3")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/x-ndjson")
        first = [json.loads(line) for line in text.splitlines()]
        self.assertEqual(len(first), 3)
        status, _, rest = self.server.request("GET", f"/api/contests/{CONTEST}/events?after={first[-1]['id']}&limit=100")
        later = [json.loads(line) for line in rest.splitlines()]
        self.assertGreaterEqual(len(later), 5)
        self.assertNotIn(first[-1]["id"], [e["id"] for e in later])
        unattributed = [e for e in first + later if e.get("unattributed_login")]
        self.assertEqual(unattributed[0]["unattributed_login"], "github:newcomer42")

    def test_admin_routes_need_the_token_and_refusals_change_nothing(self):
        path = f"/api/contests/{CONTEST}/adjustments"
        body = json.dumps({"participant": "eva", "points": 5, "reason": "organizer bonus", "id": "bonus-eva"})
        json_type = {"Content-Type": "application/json"}
        before = self.standings()[1]["rows"]
        for headers in [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}]:
            with self.subTest(headers=headers):
                status, answer = self.server.json("POST", path, body, {**json_type, **headers})
                self.assertEqual((status, answer["error"]), (401, "unauthorized"))
        bad_bodies = [
            ("{not json", 400), (json.dumps({"participant": "ghost", "points": 1, "reason": "x"}), 400),
            (json.dumps({"participant": "eva", "points": 1.001, "reason": "x"}), 400),
            (json.dumps({"participant": "eva", "points": 1}), 400),
        ]
        for bad, status in bad_bodies:
            with self.subTest(body=bad):
                self.assertEqual(self.server.json("POST", path, bad, {**json_type, **ADMIN})[0], status)
        self.assertEqual(self.server.json("POST", path, body, {"Content-Type": "text/plain", **ADMIN})[0], 415)
        self.assertEqual(self.server.request("POST", path, b"x" * (2 << 20), {**json_type, **ADMIN})[0], 413)
        self.assertEqual(self.standings()[1]["rows"], before)
        status, answer = self.server.json("POST", path, body, {**json_type, **ADMIN})
        self.assertEqual((status, answer["outcome"]), (201, "applied"))
        eva = [r for r in self.standings()[1]["rows"] if r["id"] == "eva"][0]
        self.assertEqual(eva["points"], 8)
        status, answer = self.server.json("GET", f"/api/contests/{CONTEST}/participants/eva")
        self.assertIn("organizer bonus", [a["reason"] for a in answer["awards"]])
        audit_path = f"/api/contests/{CONTEST}/audit"
        self.assertEqual(self.server.json("GET", audit_path)[0], 401)
        status, audit = self.server.json("GET", audit_path, headers=ADMIN)
        self.assertEqual(status, 200)
        entry = [e for e in audit["entries"] if e["subject"] == "adjustment:bonus-eva"]
        self.assertEqual(len(entry), 1)  # refused attempts left no trace
        self.assertEqual((entry[0]["actor"], entry[0]["reason"], entry[0]["points"]), ("admin", "organizer bonus", 5))
        self.assertTrue(entry[0]["at"].endswith("Z"))

    def test_unattributed_prs_are_listed_for_admins(self):
        path = f"/api/contests/{CONTEST}/unattributed"
        self.assertEqual(self.server.json("GET", path)[0], 401)
        status, body = self.server.json("GET", path, headers=ADMIN)
        self.assertEqual(status, 200)
        self.assertEqual(body["logins"][0]["login"], "github:newcomer42")

    def test_health_metrics_and_page(self):
        self.assertEqual(self.server.json("GET", "/healthz"), (200, {"status": "ok"}))
        status, body = self.server.json("GET", "/readyz")
        self.assertEqual((status, body["redis"]), (200, "up"))
        status, _, text = self.server.request("GET", "/metrics")
        self.assertIn("lb_redis_ready 1", text)
        self.assertIn('lb_http_requests_total{route="/healthz",status="200"}', text)
        status, headers, text = self.server.request("GET", "/")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertEqual(self.server.request("GET", "/../CMakeLists.txt")[0], 404)

    def test_pipelined_requests_on_one_connection(self):
        host, port = self.server.base.split("//")[1].split(":")
        request = f"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(request * 3)
            received = b""
            while received.count(b'{"status":"ok"}') < 3:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
        self.assertEqual(received.count(b"HTTP/1.1 200 OK"), 3)


class OfflineCommands(unittest.TestCase):
    DB = 41

    def setUp(self):
        redis_cli(self.DB, "FLUSHDB")
        self.config = write_config(example_config())
        self.redis = redis_url(self.DB)
        done = cli("import-prs", "--config", self.config, "--contest", CONTEST,
                   "--file", example_prs("geekweek-prs.ndjson"), "--redis", self.redis)
        self.assertEqual(done.returncode, 0, done.stderr)

    def export(self, board="participants"):
        done = cli("export", "--config", self.config, "--contest", CONTEST, "--board", board, "--format", "csv",
                   "--redis", self.redis)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout

    def test_the_example_merges_from_gitcode_atomgit_and_gitlab_land_on_the_same_boards(self):
        def points(board):
            rows = [line.split(",") for line in self.export(board).splitlines()]
            return {row[rows[0].index("id")]: int(row[rows[0].index("points")]) for row in rows[1:]}
        before, cities = points("participants"), points("teams:city")
        done = cli("import-prs", "--config", self.config, "--contest", CONTEST,
                   "--file", example_prs("geekweek-hosts-prs.ndjson"), "--redis", self.redis)
        self.assertEqual(done.returncode, 0, done.stderr)
        after = points("participants")
        self.assertEqual(after["chen"] - before.get("chen", 0), 11)  # GitCode, bug: base 1 + 10
        self.assertEqual(after["fang"] - before.get("fang", 0), 14)  # AtomGit, documentation: 1 + 2; GitLab (a subgroup's project), bug: 11
        self.assertEqual(sum(points("teams:city").values()) - sum(cities.values()), 25)

    def test_recompute_gives_byte_identical_standings(self):
        before = {b: self.export(b) for b in ["participants", "teams", "teams:city", "teams:school"]}
        for key in redis_cli(self.DB, "KEYS", "lb:{%s}:board:*" % CONTEST).split():
            redis_cli(self.DB, "DEL", key)
        self.assertNotEqual(self.export(), before["participants"])
        done = cli("recompute", "--config", self.config, "--contest", CONTEST, "--redis", self.redis)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual({b: self.export(b) for b in before}, before)

    def test_registering_an_author_scores_their_kept_pr(self):
        document = example_config()
        document["contests"][0]["participants"].append(
            {"id": "newcomer", "name": "New Comer", "github": "newcomer42", "teams": ["beijing"]})
        config = write_config(document)
        server = Server(config, self.redis, {"LB_ADMIN_TOKEN": TOKEN})
        try:
            server.wait_ready()
            for _ in range(100):
                status, body = server.json("GET", f"/api/contests/{CONTEST}/participants/newcomer")
                if body.get("points") == 11:
                    break
                time.sleep(0.05)
            self.assertEqual(body["points"], 11)
            status, body = server.json("GET", f"/api/contests/{CONTEST}/standings?board=teams:city")
            self.assertEqual([(r["id"], r["points"]) for r in body["rows"]][2], ("beijing", 17))
        finally:
            server.stop()

    def test_import_refuses_a_bad_file_whole(self):
        bad = write_config({})  # any temp file
        with open(bad, "w") as f:
            f.write('{"host":"github","repo":"example-org/framework","number":500,"author":"alice",'
                    '"merged_at":"2026-11-20T00:00:00Z","updated_at":"2026-11-20T00:00:00Z","labels":["bug"]}\n')
            f.write('{"host":"github","repo":"example-org/framework","number":"x"}\n')
        done = cli("import-prs", "--config", self.config, "--contest", CONTEST, "--file", bad, "--redis", self.redis)
        self.assertEqual(done.returncode, 2)
        self.assertIn("line 2: ", done.stderr)
        self.assertIn("nothing was applied", done.stderr)
        self.assertNotIn("#500", redis_cli(self.DB, "HKEYS", "lb:{%s}:ledger" % CONTEST))


class BadConfigAndRedisDown(unittest.TestCase):
    def test_check_config_names_every_bad_field(self):
        document = example_config()
        document["contests"][0]["rules"]["pull_requests"]["label_points"]["bug"] = "ten"
        document["contests"][0]["teams"][0]["kind"] = "province"
        done = cli("check-config", write_config(document))
        self.assertEqual(done.returncode, 2)
        self.assertIn("contests[0].rules.pull_requests.label_points.bug: expected a number", done.stderr)
        self.assertIn("contests[0].teams[0].kind: expected", done.stderr)
        self.assertEqual(cli("serve", "--config", write_config(document)).returncode, 2)
        ok = cli("check-config", os.path.join(EXAMPLES, "geekweek.json"))
        self.assertEqual(ok.returncode, 0, ok.stderr)

    def test_help_for_every_command(self):
        for command in ["serve", "check-config", "export", "recompute", "import-prs"]:
            with self.subTest(command=command):
                done = cli(command, "--help")
                self.assertEqual(done.returncode, 0)
                self.assertIn("usage: leaderboard " + command, done.stdout)
        self.assertEqual(cli("frobnicate").returncode, 64)

    def test_redis_down_means_not_ready_and_503(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed_port = s.getsockname()[1]
        server = Server(write_config(example_config()), f"redis://127.0.0.1:{closed_port}/0")
        try:
            status, body = server.json("GET", "/readyz")
            self.assertEqual((status, body["redis"]), (503, "down"))
            status, body = server.json("GET", f"/api/contests/{CONTEST}/standings")
            self.assertEqual((status, body["error"]), (503, "redis_unavailable"))
            self.assertEqual(server.json("GET", "/healthz")[0], 200)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
