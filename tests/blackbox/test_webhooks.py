"""Black-box tests of the webhook receivers: real payload shapes, signatures, order, durability."""
import json
import os
import socket
import threading
import time
import unittest

from harness import OwnRedis, Server, redis_cli, redis_url, write_config
from harness import now as test_now
from payloads import gitee_delivery, gitee_pr, github_delivery, github_pr

GITHUB_SECRET = "It's a Secret to Everybody"
GITEE_SECRET = "bBg5lrt03VixkX85CNqYIcecC0SIGASE"
ENV = {"LB_GITHUB_SECRET": GITHUB_SECRET, "LB_GITEE_SECRET": GITEE_SECRET, "LB_ADMIN_TOKEN": "t"}
CONTEST = "hooks"


def config_document(gitee_mode="signature"):
    return {
        "admin_token_env": "LB_ADMIN_TOKEN",
        "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"},
                     "gitee": {"secret_env": "LB_GITEE_SECRET", "mode": gitee_mode, "timestamp_window_seconds": 300}},
        "contests": [{
            "id": CONTEST, "title": {"en": "Hooks", "zh": "钩子"},
            "starts_at": "2026-12-01T00:00:00+08:00", "ends_at": "2026-12-31T00:00:00+08:00",
            "repos": ["github:Codertocat/Hello-World", "gitee:example-org/framework"],
            "teams": [{"id": "shanghai", "name": "上海", "kind": "city"}],
            "participants": [{"id": "octo", "name": "Octo", "github": "Codertocat", "teams": ["shanghai"]},
                             {"id": "chen", "name": "陈晨", "gitee": "chen", "teams": ["shanghai"]}],
            "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10, "documentation": 2},
                                        "exclude_labels": ["invalid"]}}}]}


class Receivers(unittest.TestCase):
    DB = 42

    def setUp(self):
        redis_cli(self.DB, "FLUSHDB")
        self.server = Server(write_config(config_document()), redis_url(self.DB), ENV)
        self.server.wait_ready()

    def tearDown(self):
        self.server.stop()

    def github(self, payload, **options):
        body, headers = github_delivery(GITHUB_SECRET, payload, **{k: v for k, v in options.items() if k != "extra"})
        return self.server.json("POST", "/hooks/github", body, headers)

    def gitee(self, payload, **options):
        body, headers = gitee_delivery(GITEE_SECRET, payload, **options)
        return self.server.json("POST", "/hooks/gitee", body, headers)

    def points(self, pid):
        status, body = self.server.json("GET", f"/api/contests/{CONTEST}/participants/{pid}")
        return body["points"]

    def ledger_size(self):
        return int(redis_cli(self.DB, "HLEN", "lb:{%s}:ledger" % CONTEST))

    def test_merged_github_pr_scores_once(self):
        payload = github_pr(number=11, labels=("bug",))
        self.assertGreater(len(json.dumps(payload)), 20000)  # the real example's size
        body, headers = github_delivery(GITHUB_SECRET, payload)
        status, answer = self.server.json("POST", "/hooks/github", body, headers)
        self.assertEqual((status, answer["outcome"]), (200, "applied"))
        self.assertEqual(answer["contests"][0]["points"], 11)
        status, again = self.server.json("POST", "/hooks/github", body, headers)  # a redelivery keeps its id
        self.assertEqual((status, again["outcome"]), (200, "duplicate"))
        self.assertEqual(self.points("octo"), 11)
        status, board = self.server.json("GET", f"/api/contests/{CONTEST}/standings?board=teams:city")
        self.assertEqual(board["rows"][0]["points"], 11)

    def test_form_encoded_delivery(self):
        status, answer = self.github(github_pr(number=12, labels=("documentation",)), form=True)
        self.assertEqual((status, answer["outcome"]), (200, "applied"))
        self.assertEqual(self.points("octo"), 3)

    def test_relabel_rescores_and_order_does_not_matter(self):
        merged = github_pr(number=13, labels=(), updated_at="2026-12-02T10:00:00Z")
        labelled = github_pr(action="labeled", number=13, labels=("bug",), updated_at="2026-12-02T11:00:00Z")
        invalid = github_pr(action="labeled", number=13, labels=("bug", "invalid"), updated_at="2026-12-02T12:00:00Z")
        self.assertEqual(self.github(labelled)[1]["outcome"], "applied")   # newer state first
        self.assertEqual(self.github(merged)[1]["outcome"], "stale")       # older state never overwrites
        self.assertEqual(self.points("octo"), 11)
        self.assertEqual(self.github(invalid)[1]["outcome"], "applied")
        self.assertEqual(self.points("octo"), 0)
        self.assertEqual(self.github(labelled)[1]["outcome"], "stale")

    def test_ignored_events_get_2xx_with_a_reason(self):
        cases = [
            (github_pr(number=14, merged=False), "pull_request", "closed without merging"),
            (github_pr(action="opened", number=15, merged=False), "pull_request", 'action "opened" does not change a score'),
            ({"zen": "Keep it logically awesome."}, "issues", 'event "issues" is not scored'),
            (github_pr(number=16, repo="someone/else"), "pull_request", "repository github:someone/else is not part of any contest"),
        ]
        for payload, event, reason in cases:
            with self.subTest(reason=reason):
                status, answer = self.github(payload, event=event)
                self.assertEqual((status, answer["outcome"], answer["reason"]), (202, "ignored", reason))
        status, answer = self.github({"zen": "hi", "hook_id": 1}, event="ping")
        self.assertEqual((status, answer["outcome"]), (200, "ping"))
        self.assertEqual(self.ledger_size(), 0)

    def test_bad_deliveries_are_refused_and_change_nothing(self):
        payload = github_pr(number=17)
        status, answer = self.github(payload, bad_signature=True)
        self.assertEqual((status, answer["outcome"]), (401, "bad_signature"))
        body, headers = github_delivery(GITHUB_SECRET, payload)
        headers["Content-Type"] = "text/plain"
        self.assertEqual(self.server.json("POST", "/hooks/github", body, headers)[0], 415)
        broken = dict(payload)
        del broken["pull_request"]["number"]
        status, answer = self.github(broken)
        self.assertEqual(status, 400)
        self.assertIn("pull_request.number", answer["error"])
        body, headers = github_delivery(GITHUB_SECRET, {})
        status, answer = self.server.json("POST", "/hooks/github", b"{not json", {**headers, **github_delivery(GITHUB_SECRET, {})[1],
                                          "X-Hub-Signature-256": "sha256=" + __import__("hmac").new(GITHUB_SECRET.encode(), b"{not json", "sha256").hexdigest()})
        self.assertEqual(status, 400)
        body, headers = github_delivery(GITHUB_SECRET, payload)
        del headers["X-GitHub-Delivery"]
        self.assertEqual(self.server.json("POST", "/hooks/github", body, headers)[0], 400)
        for bad_id in ["../../etc", "a" * 101, "id with space", "é"]:
            status, answer = self.server.json("POST", "/hooks/github", body, {**headers, "X-GitHub-Delivery": bad_id})
            self.assertEqual(status, 400, bad_id)
            self.assertIn("x-github-delivery", json.dumps(answer).lower())
        self.assertEqual(self.ledger_size(), 0)

    def test_oversized_body_gets_413(self):
        host, port = self.server.base.split("//")[1].split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(b"POST /hooks/github HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 30000000\r\n\r\n")
            answer = sock.recv(4096).decode()
        self.assertTrue(answer.startswith("HTTP/1.1 413"), answer)

    def test_a_large_delivery_within_githubs_cap_is_received(self):
        # Some payloads run to megabytes (a PR with a long body): up to 25 MiB is GitHub's cap and ours.
        payload = github_pr(number=31)
        payload["pull_request"]["body"] = "x" * (3 << 20)
        status, answer = self.github(payload)
        self.assertEqual((status, answer["outcome"]), (200, "applied"))

    def test_gitee_merge_relabel_ping_and_replay(self):
        merge = gitee_pr(number=21, labels=(), updated_at="2026-12-02T17:59:59+08:00")  # Gitee stamps updated_at early
        body, headers = gitee_delivery(GITEE_SECRET, merge)
        status, answer = self.server.json("POST", "/hooks/gitee", body, headers)
        self.assertEqual((status, answer["outcome"]), (200, "applied"))
        self.assertEqual(self.points("chen"), 1)
        status, answer = self.server.json("POST", "/hooks/gitee", body, headers)  # same timestamp and token
        self.assertEqual((status, answer["outcome"]), (401, "replayed"))
        relabel = gitee_pr(action="update", action_desc="update_label", number=21, labels=("Bug",),
                           updated_at="2026-12-02T19:00:00+08:00")
        status, answer = self.gitee(relabel)
        self.assertEqual((status, answer["outcome"]), (200, "applied"))
        self.assertEqual(self.points("chen"), 11)
        status, answer = self.gitee(merge)  # a fresh signature, but the same body: already applied
        self.assertEqual(answer["outcome"], "duplicate")
        self.assertEqual(self.points("chen"), 11)
        status, answer = self.gitee({}, ping=True)
        self.assertEqual((status, answer["outcome"]), (200, "ping"))
        status, answer = self.gitee(gitee_pr(action="open", number=22, merged=False))
        self.assertEqual((status, answer["outcome"]), (202, "ignored"))

    def test_gitee_refuses_bad_tokens_and_stale_timestamps(self):
        payload = gitee_pr(number=23)
        stale = int(test_now() * 1000) - 3600 * 1000
        for options, reason in [({"token": "Xvh4YPVe6l31XpDRL9J2yeaEXabsckIoUUschpXiVck="}, "wrong token"),
                                ({"timestamp_ms": stale}, "timestamp outside the window"),
                                ({"token": ""}, "no token")]:
            with self.subTest(reason=reason):
                status, answer = self.gitee(payload, **options)
                self.assertEqual((status, answer["outcome"]), (401, "bad_signature"))
        self.assertEqual(self.ledger_size(), 0)

    def test_unregistered_author_is_kept(self):
        status, answer = self.github(github_pr(number=31, author="stranger"))
        self.assertEqual(answer["contests"][0]["unattributed"], "github:stranger")
        status, body = self.server.json("GET", f"/api/contests/{CONTEST}/unattributed", headers={"Authorization": "Bearer t"})
        self.assertEqual(body["logins"][0]["login"], "github:stranger")

    def test_metrics_count_deliveries(self):
        self.github(github_pr(number=41))
        self.github(github_pr(number=42), bad_signature=True)
        status, _, text = self.server.request("GET", "/metrics")
        self.assertIn('lb_webhook_deliveries_total{host="github",event="pull_request",outcome="applied"} 1', text)
        self.assertIn('lb_webhook_deliveries_total{host="github",event="unverified",outcome="bad_signature"} 1', text)


class Durability(unittest.TestCase):
    """Nothing answered 2xx is lost or counted twice, whatever dies."""

    def expected_points(self, numbers):
        return sum(11 for _ in numbers)

    def wait_points(self, server, expected, timeout=15):
        deadline = time.time() + timeout
        points = None
        while time.time() < deadline:
            status, body = server.json("GET", f"/api/contests/{CONTEST}/participants/octo")
            points = body.get("points") if status == 200 else None
            if points == expected:
                return points
            time.sleep(0.1)
        return points

    def durability(self, server, acknowledged, timeout=10):
        """/readyz's durability once it says `acknowledged` (Redis's settings are read every second)."""
        deadline, detail = time.time() + timeout, None
        while time.time() < deadline:
            status, body = server.json("GET", "/readyz")
            detail = body.get("durability", {})
            if detail.get("acknowledged") == acknowledged:
                return detail
            time.sleep(0.1)
        self.fail(f"/readyz never said {acknowledged}: {detail}")

    def metric(self, server, line_start):
        text = server.request("GET", "/metrics")[2]
        return next((line.rsplit(" ", 1)[1] for line in text.splitlines() if line.startswith(line_start)), None)

    def test_what_an_acknowledgement_survives_follows_redis_settings(self):
        redis = OwnRedis()
        redis.start("--appendfsync", "always")
        server = Server(write_config(config_document()), redis.url, ENV)
        try:
            server.wait_ready()
            send = lambda n: server.json("POST", "/hooks/github", *github_delivery(GITHUB_SECRET, github_pr(number=n)))
            # always: Redis fsyncs before it answers; the answer itself vouches for every fault.
            detail = self.durability(server, "applied")
            self.assertEqual(detail["redis"], {"appendonly": "yes", "appendfsync": "always"})
            self.assertEqual(detail["survives"], {"server_crash": True, "redis_crash": True, "power_loss": True})
            status, answer = send(1)
            self.assertEqual((status, answer["outcome"]), (200, "applied"), answer)
            self.assertEqual(self.metric(server, 'lb_acknowledgement_survives{fault="redis_crash"}'), "1")
            # everysec: answered once Redis reports the AOF written past the delivery.
            redis.cli("CONFIG", "SET", "appendfsync", "everysec")
            detail = self.durability(server, "once_written")
            self.assertEqual(detail["survives"], {"server_crash": True, "redis_crash": True, "power_loss": False})
            self.assertIn("appendfsync everysec", detail["summary"])
            status, answer = send(2)
            self.assertEqual((status, answer["outcome"]), (200, "applied"), answer)
            self.assertEqual(self.metric(server, 'lb_acknowledgement_survives{fault="power_loss"}'), "0")
            # No AOF: nothing Redis holds survives its crash; each delivery is applied and answered
            # from the spool, whose lines stay until Redis can keep them.
            redis.cli("CONFIG", "SET", "appendonly", "no")
            self.durability(server, "spooled")
            status, answer = send(3)
            self.assertEqual((status, answer["outcome"]), (202, "spooled"), answer)
            self.assertEqual(self.wait_points(server, 33), 33)  # applied all the same: the board moves
            time.sleep(1.5)  # several replay rounds
            self.assertEqual(self.metric(server, "lb_spool_pending "), "1")
            self.assertIn("appendonly no", server.log())  # the log says what an acknowledgement survives
            redis.cli("CONFIG", "SET", "appendonly", "yes")
            redis.cli("CONFIG", "SET", "appendfsync", "always")
            self.durability(server, "applied")
            deadline = time.time() + 10
            while self.metric(server, "lb_spool_pending ") != "0" and time.time() < deadline:
                time.sleep(0.1)
            self.assertEqual(self.metric(server, "lb_spool_pending "), "0")
            self.assertEqual(self.wait_points(server, 33), 33)  # the replay counted nothing twice
        finally:
            server.stop()
            redis.kill()

    def test_relaxed_acknowledges_at_once_and_says_what_it_risks(self):
        redis = OwnRedis()
        redis.start("--appendonly", "no")
        document = config_document()
        document["redis"] = {"durability": "relaxed"}
        server = Server(write_config(document), redis.url, ENV)
        try:
            server.wait_ready()
            detail = self.durability(server, "applied")
            self.assertEqual(detail["mode"], "relaxed")
            self.assertEqual(detail["survives"], {"server_crash": True, "redis_crash": False, "power_loss": False})
            status, answer = server.json("POST", "/hooks/github", *github_delivery(GITHUB_SECRET, github_pr(number=9)))
            self.assertEqual((status, answer["outcome"]), (200, "applied"))
            self.assertEqual(self.metric(server, "lb_spool_pending "), "0")
        finally:
            server.stop()
            redis.kill()

    def test_redis_down_deliveries_are_spooled_and_applied_once(self):
        redis = OwnRedis()
        redis.start()
        server = Server(write_config(config_document()), redis.url, ENV)
        try:
            server.wait_ready()
            deliveries = [github_delivery(GITHUB_SECRET, github_pr(number=n)) for n in range(100, 110)]
            for body, headers in deliveries[:3]:
                self.assertEqual(server.json("POST", "/hooks/github", body, headers)[1]["outcome"], "applied")
            redis.kill()
            for body, headers in deliveries[3:]:
                status, answer = server.json("POST", "/hooks/github", body, headers)
                self.assertEqual((status, answer["outcome"]), (202, "spooled"))
            redis.start()
            self.assertEqual(self.wait_points(server, 110), 110, server.log())
            for body, headers in deliveries:  # redeliveries of everything change nothing
                self.assertEqual(server.json("POST", "/hooks/github", body, headers)[1]["outcome"], "duplicate")
            self.assertEqual(self.wait_points(server, 110), 110)
        finally:
            server.stop()
            redis.kill()

    def test_a_redis_still_loading_after_its_restart_is_waited_for(self):
        redis = OwnRedis()
        redis.start()
        # Enough data that, loaded at 10 ms a key, the restarted Redis answers LOADING for 3 s.
        redis.cli("DEBUG", "POPULATE", "300", "padding:", "10")
        redis.cli("BGREWRITEAOF")
        deadline = time.time() + 10
        while "aof_rewrite_in_progress:0" not in redis.cli("INFO", "persistence") and time.time() < deadline:
            time.sleep(0.05)
        server = Server(write_config(config_document()), redis.url, ENV)
        try:
            server.wait_ready()
            deliveries = [github_delivery(GITHUB_SECRET, github_pr(number=n)) for n in range(500, 505)]
            self.assertEqual(server.json("POST", "/hooks/github", *deliveries[0])[1]["outcome"], "applied")
            redis.kill()
            for body, headers in deliveries[1:]:
                self.assertEqual(server.json("POST", "/hooks/github", body, headers)[1]["outcome"], "spooled")
            redis.start("--key-load-delay", "10000", "--loading-process-events-interval-bytes", "1024", wait_loaded=False)
            self.assertEqual(server.request("GET", "/readyz")[0], 503)
            self.assertEqual(self.wait_points(server, 55, timeout=25), 55, server.log())
            self.assertEqual(server.request("GET", "/readyz")[0], 200)
            self.assertIn("LOADING", server.log())  # it did meet the loading Redis, and got past it
        finally:
            server.stop()
            redis.kill()

    def test_kill_9_of_the_server_mid_stream_loses_nothing_acknowledged(self):
        redis = OwnRedis()
        redis.start()
        config = write_config(config_document())
        server = Server(config, redis.url, ENV)
        spool = server.spool
        acknowledged = []
        try:
            server.wait_ready()

            def send():
                for n in range(200, 400):
                    body, headers = github_delivery(GITHUB_SECRET, github_pr(number=n))
                    try:
                        status, answer = server.json("POST", "/hooks/github", body, headers)
                    except Exception:
                        return
                    if 200 <= status < 300:
                        acknowledged.append(n)

            sender = threading.Thread(target=send)
            sender.start()
            time.sleep(0.3)
            server.kill()  # SIGKILL, mid-stream
            sender.join()
            self.assertGreater(len(acknowledged), 0)
            server = Server(config, redis.url, ENV, spool=spool)
            server.wait_ready()
            wanted = {f"github:codertocat/hello-world#{n}" for n in acknowledged}
            deadline = time.time() + 20  # a delivery acknowledged from the spool is applied by the replay
            while True:
                ledger = set(redis.cli("HKEYS", "lb:{%s}:ledger" % CONTEST).split())
                if wanted <= ledger or time.time() > deadline:
                    break
                time.sleep(0.2)
            self.assertEqual(wanted - ledger, set())
            self.assertEqual(self.wait_points(server, 11 * len(ledger)), 11 * len(ledger))  # none twice
        finally:
            server.stop()
            redis.kill()


if __name__ == "__main__":
    unittest.main()
