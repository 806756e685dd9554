"""Integrity under faults: the running binary with a Redis of its own that the tests stop,
stall and restart, a spool folder they poison or fill, and admin writes they retry."""
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
import unittest

from harness import BINARY, OwnRedis, Server, write_config
from payloads import github_delivery, github_pr

TOKEN = "integrity-admin-token"
GITHUB_SECRET = "integrity-github-secret"
ENV = {"LB_ADMIN_TOKEN": TOKEN, "LB_GITHUB_SECRET": GITHUB_SECRET}
ADMIN_JSON = {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}
CONTEST = "faults"


def config_document():
    return {
        "admin_token_env": "LB_ADMIN_TOKEN",
        "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"}},
        "redis": {"command_timeout_ms": 1000},
        "contests": [{
            "id": CONTEST, "title": "Faults", "starts_at": "2026-11-01T00:00:00+08:00", "ends_at": "2027-03-01T00:00:00+08:00",
            "repos": ["github:Codertocat/Hello-World"],
            "teams": [{"id": "shanghai", "name": "上海", "kind": "city"}],
            "participants": [{"id": "octo", "name": "Octo", "github": "Codertocat", "teams": ["shanghai"]},
                             {"id": "bob", "name": "Bob", "github": "bob", "teams": ["shanghai"]}],
            "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10}}},
        }],
    }


class Faults(unittest.TestCase):
    def setUp(self):
        self.redis = OwnRedis()
        self.redis.start()
        self.config = write_config(config_document())
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            if server.process.poll() is None:
                server.stop()
        try:
            os.kill(self.redis_pid(), signal.SIGCONT)
        except (OSError, ValueError):
            pass
        self.redis.stop()

    def redis_pid(self):
        with open(self.redis.dir + "/redis.pid") as f:
            return int(f.read())

    def serve(self, spool=None, preexec=None):
        server = Server(self.config, self.redis.url, ENV, spool=spool, preexec=preexec)
        self.servers.append(server)
        server.wait_ready()
        return server

    def deliver(self, server, number, labels=("bug",)):
        body, headers = github_delivery(GITHUB_SECRET, github_pr(number=number, labels=labels))
        return server.json("POST", "/hooks/github", body, headers)

    def points(self, server, pid="octo"):
        status, body = server.json("GET", f"/api/contests/{CONTEST}/participants/{pid}", headers={"Authorization": "Bearer " + TOKEN})
        self.assertEqual(status, 200, body)
        return body["points"]

    def test_a_stalled_redis_gives_503_within_its_timeout_and_everything_resumes(self):
        server = self.serve()
        self.assertEqual(self.deliver(server, 1)[0], 200)
        os.kill(self.redis_pid(), signal.SIGSTOP)
        try:
            started = time.monotonic()
            status, body = server.json("GET", f"/api/contests/{CONTEST}/standings")
            elapsed = time.monotonic() - started
            self.assertEqual((status, body["error"]), (503, "redis_unavailable"))
            self.assertLess(elapsed, 1.5)
            started = time.monotonic()
            status, answer = self.deliver(server, 2)
            self.assertEqual((status, answer["outcome"]), (202, "spooled"))  # kept on disk, within the timeout
            self.assertLess(time.monotonic() - started, 1.5)
            status, body = server.json("GET", "/readyz")
            self.assertEqual((status, body["redis"]), (503, "down"))
        finally:
            os.kill(self.redis_pid(), signal.SIGCONT)
        deadline = time.time() + 20
        while time.time() < deadline and server.request("GET", "/readyz")[0] != 200:
            time.sleep(0.1)
        self.assertEqual(server.request("GET", "/readyz")[0], 200)
        while time.time() < deadline and self.points(server) != 22:  # the spooled merge is applied
            time.sleep(0.2)
        self.assertEqual(self.points(server), 22)

    def test_two_servers_on_one_spool_folder_the_second_refuses_to_start(self):
        spool = tempfile.mkdtemp(prefix="lb-shared-spool-")
        self.serve(spool=spool)
        second = subprocess.run([BINARY, "serve", "--config", self.config, "--redis", self.redis.url, "--listen", "127.0.0.1:0",
                                 "--spool", spool], capture_output=True, text=True, timeout=30, env=dict(os.environ, **ENV))
        self.assertEqual(second.returncode, 1)
        self.assertIn("in use by another leaderboard process", second.stderr)

    def test_a_poisoned_spool_line_is_quarantined_and_the_rest_replays(self):
        spool = tempfile.mkdtemp(prefix="lb-poisoned-spool-")
        good = {"delivery": "github:11111111-2222-3333-4444-555555555555",
                "pr": {"host": "github", "repo": "Codertocat/Hello-World", "number": 7, "url": "", "title": "t", "author": "Codertocat",
                       "labels": ["bug"], "merged": True, "merged_at": 1796083200, "updated_at": 1796083200}}
        poisoned = dict(good, pr=dict(good["pr"], number="seven", labels="bug"))
        with open(os.path.join(spool, "deliveries.ndjson"), "w") as f:
            f.write(json.dumps(poisoned) + "\n" + "not json at all\n" + json.dumps(good) + "\n")
        server = self.serve(spool=spool)
        deadline = time.time() + 15
        while time.time() < deadline and self.points(server) != 11:
            time.sleep(0.1)
        self.assertEqual(self.points(server), 11)
        with open(os.path.join(spool, "quarantine.ndjson")) as f:
            kept = f.read().splitlines()
        self.assertEqual(kept, [json.dumps(poisoned), "not json at all"])
        status, _, text = server.request("GET", "/metrics")
        self.assertIn('lb_webhook_deliveries_total{host="spool",event="replay",outcome="quarantined"} 2', text)
        server.stop()
        # The server starts again with the same spool: nothing is replayed twice, nothing crashes.
        again = self.serve(spool=spool)
        self.assertEqual(self.points(again), 11)

    def test_a_full_disk_means_no_acknowledgement_and_nothing_half_written(self):
        import resource
        spool = tempfile.mkdtemp(prefix="lb-full-spool-")
        # The process may write files of at most 100 bytes: a spooled delivery (~400 bytes) gets
        # a short write, then EFBIG, as a disk that fills in the middle of a line would.
        server = self.serve(spool=spool, preexec=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100)))
        self.redis.kill()
        deadline = time.time() + 10
        while time.time() < deadline and server.request("GET", "/readyz")[0] == 200:
            time.sleep(0.05)
        status, answer = self.deliver(server, 3)
        self.assertEqual((status, answer["outcome"]), (503, "failed"))
        self.assertEqual(os.path.getsize(os.path.join(spool, "deliveries.ndjson")), 0)  # the torn line was cut back
        self.assertEqual(server.request("GET", "/healthz")[0], 200)

    def test_a_retried_admin_write_with_the_same_key_applies_once(self):
        server = self.serve()
        path = f"/api/contests/{CONTEST}/adjustments"
        body = json.dumps({"participant": "bob", "points": 5, "reason": "bonus"})
        headers = {**ADMIN_JSON, "Idempotency-Key": "retry-1"}
        first = server.request("POST", path, body, headers)
        second = server.request("POST", path, body, headers)
        self.assertEqual(first[0], 201)
        self.assertEqual((second[0], second[2]), (first[0], first[2]))  # the first answer, word for word
        self.assertEqual(second[1]["Idempotent-Replayed"], "true")
        self.assertEqual(self.points(server, "bob"), 5)
        # The same key on another route is refused, not replayed.
        status, answer = server.json("POST", f"/api/contests/{CONTEST}/freeze", b"{}", headers)
        self.assertEqual((status, answer["error"]), (422, "idempotency_key_reused"))
        # An adjustment's own id is its key too: the retry gets the first answer.
        with_id = json.dumps({"participant": "bob", "points": 2, "reason": "late bonus", "id": "late-1"})
        first = server.request("POST", path, with_id, ADMIN_JSON)
        second = server.request("POST", path, with_id, ADMIN_JSON)
        self.assertEqual((first[0], second[0], second[2]), (201, 201, first[2]))
        self.assertEqual(self.points(server, "bob"), 7)
        # A token issued twice under one key is the same token (shown once, kept as a digest).
        token_path = f"/api/contests/{CONTEST}/participants/bob/tokens"
        keyed = {"Authorization": "Bearer " + TOKEN, "Idempotency-Key": "token-bob-1"}
        self.assertEqual(server.json("POST", token_path, None, keyed)[1]["token"], server.json("POST", token_path, None, keyed)[1]["token"])
        status, answer = server.json("POST", path, body, {**ADMIN_JSON, "Idempotency-Key": "bad key"})
        self.assertEqual((status, answer["error"]), (400, "bad_header"))

    def test_concurrent_retries_of_one_key_apply_once(self):
        server = self.serve()
        path = f"/api/contests/{CONTEST}/adjustments"
        answers = []

        def send(i):
            body = json.dumps({"participant": "octo", "points": 3, "reason": "race", "id": f"race-{i}"})
            answers.append(server.request("POST", path, body, {**ADMIN_JSON, "Idempotency-Key": "race"})[0])
        threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(answers.count(201), len(answers) - answers.count(409))  # replays or "still running", never a second apply
        self.assertEqual(self.points(server), 3)


class RecomputeUnderTraffic(unittest.TestCase):
    def setUp(self):
        self.redis = OwnRedis()
        self.redis.start()
        self.server = Server(write_config(config_document()), self.redis.url, ENV)
        self.server.wait_ready()

    def tearDown(self):
        self.server.stop()
        self.redis.stop()

    def board(self):
        status, body = self.server.json("GET", f"/api/contests/{CONTEST}/standings?board=participants&limit=1000")
        self.assertEqual(status, 200, body)
        return body["total"], sum(row["points"] for row in body["rows"])

    def test_a_recompute_while_200_deliveries_arrive_loses_nothing_and_no_reader_sees_a_partial_board(self):
        from wire import WebSocket
        host, port = self.server.base.split("//")[1].split(":")
        viewer = WebSocket(host, int(port), f"/ws?contest={CONTEST}&board=participants&limit=10")
        viewer.next_json(lambda f: f["type"] == "snapshot")
        answers, readings, stop = [], [], threading.Event()

        def stream():
            for number in range(1, 201):
                body, headers = github_delivery(GITHUB_SECRET, github_pr(number=number, author="Codertocat" if number % 2 else "bob"))
                answers.append(self.server.json("POST", "/hooks/github", body, headers))

        def read():
            while not stop.is_set():
                readings.append(self.board())
        sender, reader = threading.Thread(target=stream), threading.Thread(target=read)
        sender.start()
        reader.start()
        deadline = time.time() + 60
        while len(answers) < 60 and sender.is_alive() and time.time() < deadline:
            time.sleep(0.01)
        self.assertGreaterEqual(len(answers), 60, "the stream was answered before the recompute")
        status, report = self.server.json("POST", f"/api/contests/{CONTEST}/recompute", b"{}", ADMIN_JSON)
        answered_by_then = len(answers)
        self.assertEqual(status, 200, report)
        # The stream went on from before the recompute began until after it ended: they overlapped.
        self.assertLess(answered_by_then, 200, "the recompute outlasted the stream: no traffic after it")
        self.assertGreater(report["awards"], 0)
        print(f"recompute under traffic: {report['awards']} awards read, {report['caught_up']} replayed, "
              f"awards held {report['held_ms']} ms", file=__import__("sys").stderr)
        sender.join()
        acknowledged = [a for a in answers if 200 <= a[0] < 300]
        self.assertEqual(len(acknowledged), 200, [a for a in answers if a not in acknowledged][:3])
        deadline = time.time() + 20  # deliveries held during the swap were spooled and are applied now
        while time.time() < deadline and self.board() != (2, 200 * 11):
            time.sleep(0.1)
        stop.set()
        reader.join()
        self.assertEqual(self.board(), (2, 200 * 11))
        # Boards only grew in this test: a reading below an earlier one was a partial board.
        for earlier, later in zip(readings, readings[1:]):
            self.assertLessEqual(earlier[1], later[1], "a reader saw the board shrink")
        status, dry = self.server.json("POST", f"/api/contests/{CONTEST}/recompute?dry_run=1", b"{}", ADMIN_JSON)
        self.assertEqual((status, dry["changes_total"]), (200, 0), dry)
        # The gateway learnt of the swap from the award log and sent its viewer a fresh snapshot.
        snapshot = viewer.next_json(lambda f: f["type"] == "snapshot", limit=400)
        self.assertEqual(snapshot["board"], "participants")
        viewer.close()

    def test_a_second_recompute_of_the_contest_gets_409(self):
        self.redis.cli("SET", f"lb:{{{CONTEST}}}:recompute", "someone-else")
        status, body = self.server.json("POST", f"/api/contests/{CONTEST}/recompute", b"{}", ADMIN_JSON)
        self.assertEqual((status, body["error"]), (409, "recompute_in_progress"))
        status, body = self.server.json("POST", f"/api/contests/{CONTEST}/recompute?dry_run=1", b"{}", ADMIN_JSON)
        self.assertEqual(status, 200)  # a dry run writes nothing and needs no lock
