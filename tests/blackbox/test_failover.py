"""Redis Sentinel: a primary, a replica and three sentinels, all real processes on loopback ports.
The server finds the primary through the sentinels, acknowledges a delivery only once a replica
holds it (WAIT), and follows a failover after `kill -9` of the primary without losing or doubling
anything it acknowledged."""
import shutil
import tempfile
import threading
import time
import unittest

from harness import Server, iso, write_config
from nodes import Node, shm, wait_for
from payloads import github_delivery, github_pr
from wire import WebSocket

SECRET = "failover-hook-secret"
ENV = {"LB_GITHUB_SECRET": SECRET, "LB_ADMIN_TOKEN": "failover-admin"}
CONTEST = "ha"
NAME = "lb-primary"


# The merges happened yesterday, inside the contest whatever today is.
MERGED_AT = iso(-1)


def config_document(wait_replicas=1):
    return {
        "admin_token_env": "LB_ADMIN_TOKEN",
        "redis": {"command_timeout_ms": 1000, "wait_replicas": wait_replicas, "wait_timeout_ms": 300},
        "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"}},
        "contests": [{
            "id": CONTEST, "title": "HA", "starts_at": iso(-30), "ends_at": iso(60),
            "repos": ["github:Codertocat/Hello-World"],
            "teams": [{"id": "shanghai", "name": "上海", "kind": "city"}],
            "participants": [{"id": "octo", "name": "Octo", "github": "Codertocat", "teams": ["shanghai"]}],
            "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10}}}}]}


class Failover(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="lb-failover-", dir=shm())
        self.primary, self.replica = Node(self.work, "primary"), Node(self.work, "replica")
        self.sentinels = [Node(self.work, f"sentinel{i}") for i in range(3)]
        self.extra = []  # nodes a test adds
        self.primary.start_redis()
        self.replica.start_redis("--replicaof", "127.0.0.1", str(self.primary.port))
        for s in self.sentinels:
            s.start_sentinel(NAME, self.primary.port)
        # A failover needs each sentinel to know the replica and the two other sentinels.
        for s in self.sentinels:
            wait_for("the sentinels to find each other and the replica",
                     lambda: s.cli("SENTINEL", "replicas", NAME).count("\n") > 0
                     and s.cli("SENTINEL", "sentinels", NAME).count(str(s.port)) == 0
                     and len([line for line in s.cli("SENTINEL", "sentinels", NAME).split("\n") if line == "name"]) == 2,
                     20)
        wait_for("the replica to be in sync", lambda: "master_link_status:up" in self.replica.cli("INFO", "replication"), 10)
        # Sentinels learn a replica's link state from its INFO, every 10 s: reads go to a replica
        # only once they call it linked.
        wait_for("the sentinels to see the replica linked",
                 lambda: all("master-link-status\nok" in s.cli("SENTINEL", "replicas", NAME) for s in self.sentinels), 15)
        self.url = "redis-sentinel://" + ",".join(f"127.0.0.1:{s.port}" for s in self.sentinels) + f"/{NAME}/0"

    def tearDown(self):
        for node in [self.primary, self.replica, *self.extra, *self.sentinels]:
            node.kill()
        shutil.rmtree(self.work, ignore_errors=True)

    def primary_port(self):
        answer = self.sentinels[0].cli("SENTINEL", "get-master-addr-by-name", NAME).split("\n")
        return int(answer[1]) if len(answer) == 2 else None

    def node_on(self, port):
        return self.primary if port == self.primary.port else self.replica

    def test_kill_9_of_the_primary_mid_stream_loses_and_doubles_nothing_acknowledged(self):
        server = Server(write_config(config_document()), self.url, ENV)
        answers, killed_at = [], []
        try:
            server.wait_ready()
            body, headers = github_delivery(SECRET, github_pr(number=1, merged_at=MERGED_AT))
            status, first = server.json("POST", "/hooks/github", body, headers)
            # Applied once the replica confirms it within wait_timeout_ms; on a busy machine the
            # confirmation may come later, and then the delivery is spooled and applied from there.
            self.assertIn((status, first["outcome"]), ((200, "applied"), (202, "spooled")), first)
            wait_for("the first delivery kept on the primary",
                     lambda: self.primary.cli("HEXISTS", "lb:{%s}:ledger" % CONTEST, "github:codertocat/hello-world#1") == "1"
                     and self.spool_empty(server), 15)
            # Nothing is acknowledged before the replica has it: with the replica gone, the delivery is spooled.
            self.replica.kill()
            body, headers = github_delivery(SECRET, github_pr(number=2, merged_at=MERGED_AT))
            status, held = server.json("POST", "/hooks/github", body, headers)
            self.assertEqual((status, held["outcome"]), (202, "spooled"), held)
            self.assertIn("no replica confirmed it", held["reason"])
            self.replica.start_redis("--replicaof", "127.0.0.1", str(self.primary.port))
            wait_for("the spooled delivery to be replayed once the replica is back",
                     lambda: self.primary.cli("HEXISTS", "lb:{%s}:ledger" % CONTEST, "github:codertocat/hello-world#2") == "1"
                     and self.spool_empty(server), 15)

            stop_sending = threading.Event()

            def send():
                for n in range(100, 400):
                    if stop_sending.is_set():
                        break
                    body, headers = github_delivery(SECRET, github_pr(number=n, merged_at=MERGED_AT))
                    try:
                        status, answer = server.json("POST", "/hooks/github", body, headers)
                    except Exception as error:  # the test fails below: every delivery must be answered
                        status, answer = None, {"error": repr(error)}
                    answers.append((n, time.time(), status, answer.get("outcome")))
                    time.sleep(0.04)

            sender = threading.Thread(target=send)
            sender.start()
            time.sleep(1.5)
            old = self.node_on(self.primary_port())
            old.kill()  # SIGKILL of the primary, mid-stream
            killed_at.append(time.time())
            wait_for("the server to notice", lambda: server.request("GET", "/readyz")[0] == 503, 5)
            wait_for("the server to be ready on the new primary", lambda: server.request("GET", "/readyz")[0] == 200, 30)
            ready_again = time.time()
            new_port = self.primary_port()
            self.assertEqual(new_port, self.replica.port)
            time.sleep(2)  # deliveries go on after the failover, spooled while the new primary has no replica
            stop_sending.set()
            sender.join()
            # The old node comes back empty, as a replica of the new primary (the sentinels would also
            # convert it, within their 10 s INFO period); from then WAIT 1 is met again and the
            # deliveries spooled meanwhile are applied.
            old.start_redis("--replicaof", "127.0.0.1", str(new_port))
            new = self.node_on(new_port)
            wait_for("the old primary to rejoin as a replica", lambda: "master_link_status:up" in old.cli("INFO", "replication"), 30)
            unanswered = [a for a in answers if a[2] is None or not 200 <= a[2] < 300]
            self.assertEqual(unanswered, [], "every delivery is acknowledged (applied or spooled)")
            acknowledged = {f"github:codertocat/hello-world#{n}" for n, _, _, _ in answers} | {
                "github:codertocat/hello-world#1", "github:codertocat/hello-world#2"}
            wait_for("every acknowledged delivery on the new primary",
                     lambda: acknowledged <= set(new.cli("HKEYS", "lb:{%s}:ledger" % CONTEST).split()) and self.spool_empty(server), 30)
            ledger = set(new.cli("HKEYS", "lb:{%s}:ledger" % CONTEST).split())
            self.assertEqual(ledger, acknowledged)
            wait_for("the board to hold each once", lambda: self.points(server) == 11 * len(acknowledged), 10)
            self.assertEqual(server.request("GET", "/readyz")[0], 200)
            after = [a for a in answers if a[1] > killed_at[0]]
            before = [a for a in answers if a[1] < killed_at[0]]
            self.assertTrue(before and after, f"the kill came mid-stream: {len(before)} deliveries before it, {len(after)} after")
            self.assertTrue(any(a[3] == "spooled" for a in after), "deliveries during the failover were spooled")
            print(f"\nfailover: {ready_again - killed_at[0]:.1f} s from kill -9 of the primary to /readyz on the "
                  f"promoted replica; {sum(a[3] == 'spooled' for a in after)} of {len(after)} deliveries after the kill "
                  f"spooled (no replica until the old node rejoined), every one applied once", flush=True)
        finally:
            server.stop()

    def test_a_demoted_primary_is_left_for_the_one_the_sentinels_name(self):
        server = Server(write_config(config_document()), self.url, ENV)
        try:
            server.wait_ready()
            # Applied once the replica confirms it within wait_timeout_ms; on a busy machine the
            # confirmation may come later, and then the delivery is spooled and applied from there.
            self.assertIn(self.deliver(server, 7), ("applied", "spooled"))
            wait_for("the first delivery kept on the primary",
                     lambda: self.primary.cli("HEXISTS", "lb:{%s}:ledger" % CONTEST, "github:codertocat/hello-world#7") == "1"
                     and self.spool_empty(server), 15)
            # A failover the sentinels run on request: the old primary stays up and becomes a replica.
            # Sentinel kills its clients, a write refused with READONLY makes the client ask again, and
            # +switch-master is announced; a write the old node took just before its demotion is lost
            # with its data, unless (as here) it was acknowledged only after a replica had it.
            self.assertEqual(self.sentinels[0].cli("SENTINEL", "failover", NAME), "OK")
            wait_for("the replica's promotion", lambda: self.primary_port() == self.replica.port, 20)
            wait_for("a delivery to be taken again", lambda: self.deliver(server, 8) in ("applied", "spooled"), 15)
            wait_for("the old primary to serve as a replica",
                     lambda: "master_link_status:up" in self.primary.cli("INFO", "replication"), 30)
            wait_for("both on the promoted node, each once",
                     lambda: self.replica.cli("HEXISTS", "lb:{%s}:ledger" % CONTEST, "github:codertocat/hello-world#8") == "1"
                     and self.spool_empty(server) and self.points(server) == 22, 20)
            self.assertEqual(self.replica.cli("HLEN", "lb:{%s}:ledger" % CONTEST), "2")
            self.assertEqual(self.primary.cli("ROLE").split("\n")[0], "slave")
            log = server.log()
            self.assertTrue("announce a new primary" in log or "became a replica" in log or "connection lost" in log, log)
        finally:
            server.stop()

    def test_viewers_read_from_the_replica_and_fall_back_to_the_primary_without_going_back(self):
        server = Server(write_config(config_document(wait_replicas=0)), self.url, ENV, extra_args=("--read-from", "replica"))
        try:
            server.wait_ready()
            host, port = server.base.split("//")[1].split(":")
            viewer = WebSocket(host, int(port), f"/ws?contest={CONTEST}&board=participants")
            self.assertEqual(viewer.next_json(lambda f: f["type"] == "snapshot")["rows"], [])
            reads_before = self.replica_reads()
            seqs, points = [], []
            for n in range(1, 4):
                self.assertEqual(self.deliver(server, 300 + n), "applied")
                update = viewer.next_json(lambda f: f["type"] == "update")
                seqs.append(update["seq"])
                points.append(update["rows"][0]["points"])
            self.assertEqual(points, [11, 22, 33])
            self.assertGreater(self.replica_reads(), reads_before)  # the live side reads the replica
            # The replica goes away: the live side finds no healthy replica and reads the primary.
            self.replica.kill()
            for n in range(4, 7):
                self.assertIn(self.deliver(server, 300 + n), ("applied",))
            while points[-1] < 66:
                update = viewer.next_json(lambda f: f["type"] in ("update", "error"), limit=200)
                if update["type"] == "error":  # a viewer told to come back does, and its snapshot must not go back
                    viewer.close()
                    viewer = WebSocket(host, int(port), f"/ws?contest={CONTEST}&board=participants")
                    update = viewer.next_json(lambda f: f["type"] == "snapshot")
                    seqs.append(None)
                else:
                    seqs.append(update["seq"])
                row = update["rows"][0]["points"] if update["rows"] else points[-1]
                self.assertGreaterEqual(row, points[-1], "a board went back")
                points.append(row)
            numbered = [s for s in seqs if s is not None]
            self.assertEqual(numbered, sorted(numbered))
            viewer.close()
        finally:
            server.stop()

    def test_a_replica_that_lags_never_turns_a_board_back(self):
        server = Server(write_config(config_document(wait_replicas=0)), self.url, ENV, extra_args=("--read-from", "replica"))
        try:
            server.wait_ready()
            host, port = server.base.split("//")[1].split(":")
            viewer = WebSocket(host, int(port), f"/ws?contest={CONTEST}&board=participants")
            viewer.next_json(lambda f: f["type"] == "snapshot")
            for n in range(1, 3):
                self.deliver(server, 400 + n)
            self.assertEqual(self.viewer_points(viewer, 22), 22)  # read from the one replica there is
            # A second replica that will lag: CLIENT PAUSE WRITE stops it applying the primary's
            # stream while it still answers reads and its sentinels still count it healthy.
            lagging = Node(self.work, "replica2")
            self.extra.append(lagging)
            lagging.start_redis("--replicaof", "127.0.0.1", str(self.primary.port))
            wait_for("the second replica in sync", lambda: "master_link_status:up" in lagging.cli("INFO", "replication"), 10)
            wait_for("every sentinel to list both replicas, linked",
                     lambda: all(s.cli("SENTINEL", "replicas", NAME).count("master-link-status\nok") == 2 for s in self.sentinels), 25)
            self.assertEqual(lagging.cli("CLIENT", "PAUSE", "30000", "WRITE"), "OK")
            for n in range(3, 6):
                self.deliver(server, 400 + n)
            self.assertEqual(self.viewer_points(viewer, 55), 55)  # through the replica that keeps up
            self.replica.kill()
            # The live side moves to the lagging replica, or to the primary once the sentinels count
            # the paused replica down (its hello PUBLISHes wait out the pause, so their PINGs do too).
            landed = wait_for("the live side on another node", lambda: self.polled(lagging, self.primary), 20)
            # A new group of viewers (another page size) reads its board now. From the lagging
            # replica it would start at 22 points: that read is refused until the replica catches up.
            newcomer = WebSocket(host, int(port), f"/ws?contest={CONTEST}&board=participants&limit=5")
            first = newcomer.next_json(lambda f: f["type"] in ("snapshot", "error"))
            if first["type"] == "error":
                self.assertIs(landed, lagging)
                self.assertIn("behind", first["message"])
                newcomer.close()
                lagging.cli("CLIENT", "UNPAUSE")
                time.sleep(0.5)
                newcomer = WebSocket(host, int(port), f"/ws?contest={CONTEST}&board=participants&limit=5")
                first = newcomer.next_json(lambda f: f["type"] in ("snapshot", "error"))
            print(f"\nlive side after the kill: {'the lagging replica' if landed is lagging else 'the primary'}", flush=True)
            self.assertEqual((first["type"], first["rows"][0]["points"]), ("snapshot", 55), first)
            lagging.cli("CLIENT", "UNPAUSE")
            self.deliver(server, 406)
            self.assertEqual(self.viewer_points(viewer, 66), 66)
            newcomer.close()
            viewer.close()
        finally:
            server.stop()

    def polled(self, *nodes):
        """The node whose award log the live side is polling (XRANGE calls growing), if any."""
        def calls(node):
            line = next((l for l in node.cli("INFO", "commandstats").split("\n") if l.startswith("cmdstat_xrange:")), "")
            return int(line.split("calls=")[1].split(",")[0]) if line else 0
        before = [calls(n) for n in nodes]
        time.sleep(0.3)
        return next((n for n, b in zip(nodes, before) if calls(n) > b + 3), None)

    def viewer_points(self, viewer, wanted):
        """Reads updates until the viewer's top row reaches `wanted`; fails on a row that went back."""
        seen = 0
        while seen < wanted:
            frame = viewer.next_json(lambda f: f["type"] == "update", limit=200)
            if frame["rows"]:
                points = frame["rows"][0]["points"]
                self.assertGreaterEqual(points, seen, "a board went back")
                seen = points
        return seen

    def replica_reads(self):
        stats = self.replica.cli("INFO", "commandstats")
        return sum(int(line.split("calls=")[1].split(",")[0]) for line in stats.split("\n")
                   if line.startswith(("cmdstat_xrange", "cmdstat_xrevrange", "cmdstat_evalsha", "cmdstat_zrange")))

    def deliver(self, server, number):
        body, headers = github_delivery(SECRET, github_pr(number=number, merged_at=MERGED_AT))
        try:
            return server.json("POST", "/hooks/github", body, headers)[1].get("outcome")
        except Exception:
            return None

    def points(self, server):
        status, body = server.json("GET", f"/api/contests/{CONTEST}/participants/octo")
        return body.get("points") if status == 200 else None

    def spool_empty(self, server):
        status, _, text = server.request("GET", "/metrics")
        return status == 200 and any(line.startswith("lb_spool_pending ") and line.split()[1] == "0" for line in text.split("\n"))


if __name__ == "__main__":
    unittest.main()
