"""Redis Cluster: three primaries of the test's own on loopback ports, two contests whose hash
tags land on different shards. The server reads the slot map from one node, scores and streams
both contests, follows a slot moved between shards (ASK while it migrates, MOVED once it has),
and a shard lost and restarted costs only its own contest a pause (spooled, then applied once)."""
import json
import shutil
import subprocess
import tempfile
import time
import unittest

from harness import Server, cli, write_config
from nodes import Node, shm, wait_for
from payloads import gitee_delivery, gitee_pr, github_delivery, github_pr
from wire import WebSocket

GITHUB_SECRET, GITEE_SECRET = "cluster-hook-secret", "cluster-gitee-secret"
ENV = {"LB_GITHUB_SECRET": GITHUB_SECRET, "LB_GITEE_SECRET": GITEE_SECRET, "LB_ADMIN_TOKEN": "cluster-admin"}
CANDIDATES = ["geek-week", "spring-camp", "autumn-bash", "repro-2027", "winter-week", "city-cup", "school-cup"]


def contest(contest_id, repo, login, host):
    return {"id": contest_id, "title": contest_id, "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2027-01-31T00:00:00Z",
            "repos": [f"{host}:{repo}"],
            "teams": [{"id": "shanghai", "name": "上海", "kind": "city"}],
            "participants": [{"id": "p", "name": "P", host: login, "teams": ["shanghai"]}],
            "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10}}}}


class Cluster(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="lb-cluster-", dir=shm())
        self.nodes = [Node(self.work, f"node{i}") for i in range(3)]
        for node in self.nodes:
            self.start(node)
        create = subprocess.run(["redis-cli", "--cluster", "create", *[f"127.0.0.1:{n.port}" for n in self.nodes],
                                 "--cluster-replicas", "0", "--cluster-yes"], capture_output=True, text=True, timeout=60)
        self.assertEqual(create.returncode, 0, create.stdout + create.stderr)
        for node in self.nodes:
            wait_for("the cluster to be ok on every node", lambda: "cluster_state:ok" in node.cli("CLUSTER", "INFO"), 20)
        # Two contests whose tags live on different shards (which shard a tag lands on is the CRC's).
        homes = {}
        for candidate in CANDIDATES:
            home = self.home_of(candidate)
            if home not in homes.values():
                homes[candidate] = home
            if len(homes) == 2:
                break
        (self.a, self.home_a), (self.b, self.home_b) = homes.items()
        document = {"admin_token_env": "LB_ADMIN_TOKEN", "redis": {"command_timeout_ms": 1000},
                    "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"}, "gitee": {"secret_env": "LB_GITEE_SECRET"}},
                    "contests": [contest(self.a, "Codertocat/Hello-World", "Codertocat", "github"),
                                 contest(self.b, "example-org/framework", "chen", "gitee")]}
        self.config = write_config(document)
        # One node is enough: the rest of the cluster comes from its slot map.
        self.url = f"redis-cluster://127.0.0.1:{self.nodes[0].port}/"

    def tearDown(self):
        for node in self.nodes:
            node.kill()
        shutil.rmtree(self.work, ignore_errors=True)

    def start(self, node):
        # Appended and fsynced, so a shard killed and started again comes back with its data. Without
        # full coverage required, the shards left serve their own slots after the lost one is marked
        # failed (docs/deploy.md says the same for a deployment).
        node.start_redis("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port", str(node.bus_port),
                         "--cluster-node-timeout", "2000", "--cluster-require-full-coverage", "no",
                         "--appendonly", "yes", "--appendfsync", "always")

    def home_of(self, contest_id):
        """The node serving the contest's slot (CLUSTER KEYSLOT on its key, matched to CLUSTER SLOTS)."""
        slot = int(self.nodes[0].cli("CLUSTER", "KEYSLOT", f"lb:{{{contest_id}}}:ledger"))
        for node in self.nodes:
            if node.cli("CLUSTER", "COUNTKEYSINSLOT", str(slot)).isdigit() and self.serves(node, slot):
                return node
        raise AssertionError(f"no node serves slot {slot}")

    def serves(self, node, slot):
        lines = node.cli("CLUSTER", "NODES").split("\n")
        mine = next(l for l in lines if "myself" in l).split()
        for part in mine[8:]:
            if part.startswith("["):
                continue
            first, _, last = part.partition("-")
            if int(first) <= slot <= int(last or first):
                return True
        return False

    def serve(self):
        server = Server(self.config, self.url, ENV)
        self.addCleanup(server.stop)
        server.wait_ready()
        return server

    def github(self, server, number):
        body, headers = github_delivery(GITHUB_SECRET, github_pr(number=number))
        return server.json("POST", "/hooks/github", body, headers)

    def gitee(self, server, number):
        body, headers = gitee_delivery(GITEE_SECRET, gitee_pr(number=number))
        return server.json("POST", "/hooks/gitee", body, headers)

    def viewer(self, server, contest_id):
        host, port = server.base.split("//")[1].split(":")
        ws = WebSocket(host, int(port), f"/ws?contest={contest_id}&board=participants")
        self.assertEqual(ws.next_json(lambda f: f["type"] == "snapshot")["rows"], [])
        return ws

    def points_seen(self, ws, wanted):
        seen = 0
        while seen < wanted:
            frame = ws.next_json(lambda f: f["type"] == "update", limit=200)
            if frame["rows"]:
                self.assertGreaterEqual(frame["rows"][0]["points"], seen, "a board went back")
                seen = frame["rows"][0]["points"]
        return seen

    def calls(self, node, command):
        line = next((l for l in node.cli("INFO", "commandstats").split("\n") if l.startswith(f"cmdstat_{command}:")), "")
        return int(line.split("calls=")[1].split(",")[0]) if line else 0

    def spool_empty(self, server):
        status, _, text = server.request("GET", "/metrics")
        return status == 200 and any(line.startswith("lb_spool_pending ") and line.split()[1] == "0" for line in text.split("\n"))

    def export(self, contest_id):
        done = cli("export", "--config", self.config, "--contest", contest_id, "--redis", self.url, "--live")
        self.assertEqual(done.returncode, 0, done.stderr)
        return sum(row["points"] for row in json.loads(done.stdout)["rows"])

    def test_two_contests_on_two_shards_score_and_stream(self):
        self.assertIsNot(self.home_a, self.home_b)
        server = self.serve()
        viewer_a, viewer_b = self.viewer(server, self.a), self.viewer(server, self.b)
        for n in range(1, 4):
            status, answer = self.github(server, n)
            self.assertEqual((status, answer["outcome"]), (200, "applied"), answer)
            status, answer = self.gitee(server, n)
            self.assertEqual((status, answer["outcome"]), (200, "applied"), answer)
        self.assertEqual(self.points_seen(viewer_a, 33), 33)
        self.assertEqual(self.points_seen(viewer_b, 33), 33)
        # Each contest's keys are on its own shard only (the others answer MOVED for its slot).
        for contest_id, home in ((self.a, self.home_a), (self.b, self.home_b)):
            slot = home.cli("CLUSTER", "KEYSLOT", f"lb:{{{contest_id}}}:ledger")
            self.assertGreater(int(home.cli("CLUSTER", "COUNTKEYSINSLOT", slot)), 3)
            for node in self.nodes:
                if node is not home:
                    self.assertEqual(node.cli("CLUSTER", "COUNTKEYSINSLOT", slot), "0")
                    self.assertTrue(node.cli("HLEN", f"lb:{{{contest_id}}}:ledger").startswith("MOVED"))
            self.assertEqual(home.cli("HLEN", f"lb:{{{contest_id}}}:ledger"), "3")
        # A redelivery is still recognised (its dedupe key is the contest's own).
        body, headers = github_delivery(GITHUB_SECRET, github_pr(number=4), delivery="same-delivery")
        self.assertEqual(server.json("POST", "/hooks/github", body, headers)[1]["outcome"], "applied")
        self.assertEqual(server.json("POST", "/hooks/github", body, headers)[1]["outcome"], "duplicate")
        # The blocking client (the command-line tools) goes through the cluster too.
        self.assertEqual(self.points_seen(viewer_a, 44), 44)
        self.assertEqual(self.export(self.a), 44)
        self.assertEqual(self.export(self.b), 33)
        viewer_a.close()
        viewer_b.close()

    def test_a_slot_moved_between_shards_is_followed_through_ask_and_moved(self):
        server = self.serve()
        viewer = self.viewer(server, self.a)
        self.assertEqual(self.github(server, 1)[1]["outcome"], "applied")
        self.assertEqual(self.points_seen(viewer, 11), 11)
        source = self.home_a
        target = next(n for n in self.nodes if n is not source)
        slot = source.cli("CLUSTER", "KEYSLOT", f"lb:{{{self.a}}}:ledger")
        source_id, target_id = source.cli("CLUSTER", "MYID"), target.cli("CLUSTER", "MYID")
        # The migration as redis-cli --cluster reshard does it, stopped half way: every key moved,
        # the slot still the source's. The source answers ASK for keys it no longer has.
        self.assertEqual(target.cli("CLUSTER", "SETSLOT", slot, "IMPORTING", source_id), "OK")
        self.assertEqual(source.cli("CLUSTER", "SETSLOT", slot, "MIGRATING", target_id), "OK")
        keys = source.cli("CLUSTER", "GETKEYSINSLOT", slot, "1000").split("\n")
        self.assertGreater(len(keys), 3)
        moved = source.cli("MIGRATE", "127.0.0.1", str(target.port), "", "0", "5000", "KEYS", *keys)
        self.assertEqual(moved, "OK")
        # An award names keys that do not exist yet (its dedupe key), so while the slot migrates
        # Redis answers it TRYAGAIN: it is applied once the move ends, or spooled meanwhile.
        status, answer = self.github(server, 2)
        self.assertIn(answer["outcome"], ("applied", "spooled"), answer)
        print(f"\nan award while its slot migrated: {answer['outcome']}", flush=True)
        # The live side's reads of the award log follow ASK to the target.
        wait_for("reads sent to the target after ASKING", lambda: self.calls(target, "asking") > 0, 5)
        # The migration finished: the source answers MOVED, and the client's map follows.
        # The target first, as the cluster's reference orders it, so no node sends the slot back.
        for node in [target, source, *[n for n in self.nodes if n is not target and n is not source]]:
            self.assertEqual(node.cli("CLUSTER", "SETSLOT", slot, "NODE", target_id), "OK")
        self.assertEqual(self.github(server, 3)[1]["outcome"], "applied", server.log())  # through MOVED
        self.assertEqual(self.points_seen(viewer, 33), 33)
        wait_for("nothing left in the spool", lambda: self.spool_empty(server), 10)
        self.assertEqual(target.cli("HLEN", f"lb:{{{self.a}}}:ledger"), "3")
        self.assertEqual(source.cli("CLUSTER", "COUNTKEYSINSLOT", slot), "0")
        self.assertEqual(self.export(self.a), 33)
        # A newcomer's snapshot is read where the slot is now.
        host, port = server.base.split("//")[1].split(":")
        late = WebSocket(host, int(port), f"/ws?contest={self.a}&board=participants&limit=5")
        self.assertEqual(late.next_json(lambda f: f["type"] == "snapshot")["rows"][0]["points"], 33)
        late.close()
        viewer.close()

    def test_a_shard_lost_and_back_pauses_only_its_own_contest(self):
        server = self.serve()
        self.assertEqual(self.github(server, 1)[1]["outcome"], "applied")
        self.assertEqual(self.gitee(server, 1)[1]["outcome"], "applied")
        self.home_a.kill()  # SIGKILL of the shard holding contest a
        wait_for("readyz to report the lost shard", lambda: server.request("GET", "/readyz")[0] == 503, 10)

        def marked_failed():  # past cluster-node-timeout: the others agree the shard is gone ("fail", not "fail?")
            for line in self.home_b.cli("CLUSTER", "NODES").splitlines():
                fields = line.split()
                if len(fields) > 2 and fields[1].startswith(f"127.0.0.1:{self.home_a.port}@") and "fail" in fields[2].split(","):
                    return True
            return False
        wait_for("the cluster to mark the lost shard failed", marked_failed, 15)
        status, held = self.github(server, 2)
        self.assertEqual((status, held["outcome"]), (202, "spooled"), held)
        # The other shard's contest goes on.
        status, answer = self.gitee(server, 2)
        self.assertEqual((status, answer["outcome"]), (200, "applied"), answer)
        self.start(self.home_a)  # the same node, its data and cluster identity from disk
        wait_for("the cluster to be ok again", lambda: "cluster_state:ok" in self.home_a.cli("CLUSTER", "INFO"), 20)
        wait_for("readyz back", lambda: server.request("GET", "/readyz")[0] == 200, 20)
        wait_for("the spooled delivery applied",
                 lambda: self.home_a.cli("HLEN", f"lb:{{{self.a}}}:ledger") == "2", 20)
        self.assertEqual(self.github(server, 3)[1]["outcome"], "applied")
        time.sleep(0.2)
        self.assertEqual(self.export(self.a), 33)
        self.assertEqual(self.export(self.b), 22)


if __name__ == "__main__":
    unittest.main()
