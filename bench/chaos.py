"""Chaos: signed GitHub and Gitee deliveries (duplicates, reorderings, relabels) stream into a
server while faults are injected at random moments: kill -9 of the server (restarted on the
same spool), kill -9 of Redis (restarted from its AOF), kill -9 of Redis while it rewrites its
AOF (as an OOM kill finds it busy writing), Redis stopped with SIGSTOP for 1-5 s, a recompute
started mid-stream. Then, like a host's operator, every delivery that did not get a 2xx is
delivered again. The expected boards are computed here, independently of the engine, and
compared with what it holds. Redis runs as the run command starts it (deploy/redis/persistence.conf)
unless --appendfsync says otherwise.

usage: python3 bench/chaos.py --binary PATH [--deliveries 2000] [--faults 20] [--seed N|fresh]
The seed is today's date (YYYYMMDD) unless given; "fresh" takes one from the clock. It is printed
first, so any failing schedule can be run again. Prints one JSON line: faults by kind, deliveries,
2xx, acknowledged-but-lost, doubled, board differences; exits 1 unless lost, doubled and
differences are all 0.
"""
import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
PERSISTENCE = os.path.join(HERE, "..", "deploy", "redis", "persistence.conf")
sys.path.insert(0, os.path.join(HERE, "..", "tests", "blackbox"))
from payloads import gitee_delivery, gitee_pr, github_delivery, github_pr  # noqa: E402

SECRET = "chaos-secret"
TOKEN = "chaos-admin"
CONTEST = "chaos"
CITIES, SCHOOLS, PEOPLE = 5, 5, 40
BASE, LABELS, CAP = 1, {"bug": 10, "documentation": 2, "feature": 30}, 35
EXCLUDE = {"spam"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


DAY = 86400
NOW = int(time.time())


def stamp(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def config(path, durability="exact"):
    teams = [{"id": f"city{i}", "name": f"City {i}", "kind": "city"} for i in range(CITIES)]
    teams += [{"id": f"school{i}", "name": f"School {i}", "kind": "school"} for i in range(SCHOOLS)]
    people = [{"id": f"p{i}", "name": f"P{i}", "github": f"gh{i}", "gitee": f"ge{i}", "teams": [f"city{i % CITIES}", f"school{i % SCHOOLS}"]}
              for i in range(PEOPLE)]
    document = {"admin_token_env": "LB_ADMIN_TOKEN",
                "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"},
                             "gitee": {"secret_env": "LB_GITEE_SECRET", "mode": "signature", "timestamp_window_seconds": 3600}},
                "redis": {"command_timeout_ms": 1000, "durability": durability},
                "contests": [{"id": CONTEST, "title": "Chaos", "starts_at": stamp(NOW - 30 * DAY), "ends_at": stamp(NOW + 60 * DAY),
                              "repos": ["github:chaos/repo", "gitee:chaos/repo"], "teams": teams, "participants": people,
                              "rules": {"pull_requests": {"base_points": BASE, "label_points": LABELS, "label_mode": "max",
                                                          "exclude_labels": sorted(EXCLUDE), "max_points_per_pr": CAP}}}]}
    with open(path, "w") as f:
        json.dump(document, f)


def points(labels):
    """What the rules make of a merged PR's labels (the engine's rules, written again here)."""
    names = {label.lower() for label in labels}
    if names & EXCLUDE:
        return 0
    return min(BASE + max([LABELS[n] for n in names if n in LABELS], default=0), CAP)


class Delivery:
    def __init__(self, pr, state, host, author, labels, at):
        self.pr, self.state, self.host, self.author, self.labels, self.at = pr, state, host, author, labels, at
        self.delivery_id = f"{pr:05d}-{state}-{random.getrandbits(48):012x}-0000-000000000000"[:36]
        self.acknowledged = False
        self.attempts = 0
        self.redeliveries = 0

    def request(self):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.at))
        first = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.at - self.state * 60))
        if self.host == "github":
            payload = github_pr(action="closed" if self.state == 0 else "labeled", number=self.pr, author=f"gh{self.author}",
                                labels=self.labels, merged_at=first, updated_at=stamp, repo="chaos/repo")
            return "/hooks/github", *github_delivery(SECRET, payload, delivery=self.delivery_id)
        payload = gitee_pr(action="merge" if self.state == 0 else "update", action_desc=None if self.state == 0 else "update_label",
                           number=self.pr, author=f"ge{self.author}", labels=self.labels, merged_at=first, updated_at=stamp,
                           repo="chaos/repo")
        return "/hooks/gitee", *gitee_delivery(SECRET, payload)  # a fresh timestamp and token each time, as Gitee sends


def deliveries(count):
    """PRs with one to three states each (merge, then relabels, each later), some sent twice, shuffled locally."""
    out, pr, now = [], 0, NOW - 20 * DAY
    while len(out) < count:
        pr += 1
        host, author = random.choice(["github", "gitee"]), random.randrange(PEOPLE)
        at = now + pr * 7
        for state in range(random.choice([1, 1, 2, 3])):
            labels = random.sample(["bug", "documentation", "feature", "spam", "chore"], random.randint(0, 2))
            out.append(Delivery(pr, state, host, author, labels, at + state * 60))
    out = out[:count]
    out += [random.choice(out) for _ in range(count // 10)]  # redeliveries of the same delivery
    # Reorder: every delivery moves a few places (later states may arrive first).
    keyed = sorted(range(len(out)), key=lambda i: i + random.uniform(-8, 8))
    return [out[i] for i in keyed]


class Cluster:
    """The server and its Redis (as the run command starts it), restartable."""

    def __init__(self, binary, work, appendfsync=None, durability="exact"):
        self.appendfsync = appendfsync
        self.binary, self.work = binary, work
        self.redis_port, self.port = free_port(), free_port()
        self.config = os.path.join(work, "config.json")
        config(self.config, durability)
        self.spool = os.path.join(work, "spool")
        self.server = None
        self.redis_pid = None
        self.killed_mid_rewrite = 0

    def start_redis(self):
        override = ["--appendfsync", self.appendfsync] if self.appendfsync else []
        subprocess.run(["redis-server", PERSISTENCE, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--dir", self.work,
                        "--save", "", "--daemonize", "yes", *override,
                        "--pidfile", self.work + "/redis.pid", "--logfile", self.work + "/redis.log"], check=True)
        for _ in range(200):
            try:
                with open(self.work + "/redis.pid") as f:
                    self.redis_pid = int(f.read())
                if subprocess.run(["redis-cli", "-p", str(self.redis_port), "ping"], capture_output=True, text=True).stdout.strip() == "PONG":
                    return
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        raise RuntimeError("redis did not start")

    def kill_redis(self):
        os.kill(self.redis_pid, signal.SIGKILL)
        while True:
            try:
                os.kill(self.redis_pid, 0)
                time.sleep(0.01)
            except ProcessLookupError:
                break
        os.remove(self.work + "/redis.pid")

    def redis_cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.redis_port), *args], capture_output=True, text=True).stdout

    def kill_redis_rewriting(self):
        """kill -9 while Redis rewrites its AOF: each key's save is slowed so the rewrite lasts."""
        self.redis_cli("CONFIG", "SET", "rdb-key-save-delay", "200")
        self.redis_cli("BGREWRITEAOF")
        deadline, busy = time.time() + 2, False
        while time.time() < deadline and not busy:
            busy = "aof_rewrite_in_progress:1" in self.redis_cli("INFO", "persistence")
        time.sleep(random.uniform(0, 0.05))
        self.kill_redis()
        return busy

    def start_server(self):
        env = dict(os.environ, LB_GITHUB_SECRET=SECRET, LB_GITEE_SECRET=SECRET, LB_ADMIN_TOKEN=TOKEN)
        self.server = subprocess.Popen([self.binary, "serve", "--config", self.config, "--redis", f"redis://127.0.0.1:{self.redis_port}/0",
                                        "--listen", f"127.0.0.1:{self.port}", "--spool", self.spool],
                                       stdout=subprocess.DEVNULL, stderr=open(self.work + "/server.log", "a"), env=env)
        for _ in range(400):
            if self.get("/healthz")[0] == 200:
                return
            time.sleep(0.025)
        raise RuntimeError("server did not start")

    def kill_server(self):
        self.server.kill()
        self.server.wait()

    def request(self, method, path, body=None, headers=None, timeout=10):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (OSError, urllib.error.URLError):
            return 0, b""

    def get(self, path, admin=False):
        return self.request("GET", path, headers={"Authorization": "Bearer " + TOKEN} if admin else {})

    def stop(self):
        if self.server and self.server.poll() is None:
            self.server.terminate()
            self.server.wait()
        subprocess.run(["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"], capture_output=True)


def send(cluster, delivery, operator=False):
    path, body, headers = delivery.request()
    delivery.attempts += 1
    delivery.redeliveries += operator
    status, _ = cluster.request("POST", path, body, headers)
    if 200 <= status < 300:
        delivery.acknowledged = True
    return status


def inject(cluster, kind, lock):
    with lock:  # one fault at a time; the stream goes on meanwhile
        if kind == "kill_server":
            cluster.kill_server()
            time.sleep(random.uniform(0.1, 0.5))
            cluster.start_server()
        elif kind == "kill_redis":
            cluster.kill_redis()
            time.sleep(random.uniform(0.1, 1.0))
            cluster.start_redis()
        elif kind == "kill_redis_rewriting":
            if cluster.kill_redis_rewriting():
                cluster.killed_mid_rewrite += 1
            time.sleep(random.uniform(0.1, 1.0))
            cluster.start_redis()
        elif kind == "stall_redis":
            os.kill(cluster.redis_pid, signal.SIGSTOP)
            time.sleep(random.uniform(1, 5))
            os.kill(cluster.redis_pid, signal.SIGCONT)
        elif kind == "recompute":
            cluster.request("POST", f"/api/contests/{CONTEST}/recompute", b"{}",
                            {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}, timeout=60)


def expected_boards(all_deliveries):
    latest = {}
    for d in all_deliveries:
        key = (d.host, d.pr)
        if d.acknowledged and (key not in latest or d.at > latest[key].at):
            latest[key] = d
    boards = {"participants": {}, "teams:city": {}, "teams:school": {}}
    for d in latest.values():
        value = points(d.labels)
        if value == 0:
            continue
        for board, member in (("participants", f"p{d.author}"), ("teams:city", f"city{d.author % CITIES}"),
                              ("teams:school", f"school{d.author % SCHOOLS}")):
            boards[board][member] = boards[board].get(member, 0) + value
    return latest, boards


def engine_boards(cluster):
    boards = {}
    for board in ("participants", "teams:city", "teams:school"):
        status, body = cluster.get(f"/api/contests/{CONTEST}/standings?board={board}&limit=1000", admin=True)
        if status != 200:
            raise RuntimeError(f"standings {board}: {status} {body[:200]}")
        boards[board] = {row["id"]: row["points"] for row in json.loads(body)["rows"]}
    return boards


def ledger_versions(cluster):
    """The stored state of each PR, read from Redis directly: (host, number) -> version (its updated_at)."""
    out = subprocess.run(["redis-cli", "-p", str(cluster.redis_port), "HVALS", f"lb:{{{CONTEST}}}:ledger"], capture_output=True, text=True).stdout
    versions = {}
    for line in out.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            details = record.get("details", {})
            versions[(details.get("host"), details.get("number"))] = record.get("version")
    return versions


def wait_settled(cluster, timeout=60):
    """Until the spool is empty and the boards stop moving; says why when they never do."""
    deadline, last, status, pending = time.time() + timeout, None, None, None
    while time.time() < deadline:
        status, text = cluster.get("/metrics")
        pending = next((line.split()[1] for line in text.decode().splitlines() if line.startswith("lb_spool_pending ")), "1") if status == 200 else "1"
        if pending == "0":
            now = engine_boards(cluster)
            if now == last:
                return
            last = now
        time.sleep(0.5)
    alive = cluster.server is not None and cluster.server.poll() is None
    raise RuntimeError(f"not settled in {timeout} s: /metrics answered {status} (0: no answer), spool pending {pending}, "
                       f"server process {'alive' if alive else 'gone'}; its log: {cluster.work}/server.log")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--faults", type=int, default=20)
    parser.add_argument("--seed", default=time.strftime("%Y%m%d"), help="a whole number, or fresh (from the clock)")
    parser.add_argument("--appendfsync", choices=["always", "everysec", "no"], help="instead of deploy/redis/persistence.conf's")
    parser.add_argument("--durability", choices=["exact", "relaxed"], default="exact", help="the config's redis.durability")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--rate", type=float, default=100, help="deliveries per second")
    args = parser.parse_args()
    seed = time.time_ns() % 10**9 if args.seed == "fresh" else int(args.seed)
    print(f"chaos seed {seed} (again: --seed {seed})", flush=True)
    random.seed(seed)
    work = tempfile.mkdtemp(prefix="lb-chaos-")
    cluster = Cluster(args.binary, work, args.appendfsync, args.durability)
    cluster.start_redis()
    cluster.start_server()
    stream = deliveries(args.deliveries)
    kinds = ["kill_server", "kill_redis", "stall_redis", "recompute", "kill_redis_rewriting"]
    schedule = [kinds[i % len(kinds)] for i in range(args.faults)]
    random.shuffle(schedule)
    duration = len(stream) / args.rate
    moments = sorted(random.uniform(0.05, 0.9) * duration for _ in schedule)  # one after another, at random moments
    fault_lock, injected = threading.Lock(), {k: 0 for k in kinds}

    def controller():
        for moment, kind in zip(moments, schedule):
            time.sleep(max(0.0, started + moment - time.time()))
            injected[kind] += 1
            inject(cluster, kind, fault_lock)
    try:
        started = time.time()
        statuses = []
        in_flight = threading.Semaphore(args.workers * 2)  # the stream keeps pace with the server

        def paced(d):
            try:
                return send(cluster, d)
            finally:
                in_flight.release()
        faults = threading.Thread(target=controller)
        faults.start()
        with ThreadPoolExecutor(args.workers) as pool:
            futures = []
            for i, d in enumerate(stream):
                time.sleep(max(0.0, started + i / args.rate - time.time()))
                in_flight.acquire()
                futures.append(pool.submit(paced, d))
            statuses = [f.result() for f in futures]
        faults.join()
        first_pass = sum(1 for s in statuses if 200 <= s < 300)
        # The operator's pass: redeliver everything that got no 2xx, until each has one.
        unique = list({id(d): d for d in stream}.values())
        for _ in range(20):
            missing = [d for d in unique if not d.acknowledged]
            if not missing:
                break
            for d in missing:
                send(cluster, d, operator=True)
            time.sleep(0.5)
        wait_settled(cluster)
        latest, expected = expected_boards(unique)
        got = engine_boards(cluster)
        versions = ledger_versions(cluster)
        lost = sum(1 for key, d in latest.items() if versions.get(key) is None or versions[key] < d.at)
        doubled = sum(1 for board in expected for member, value in got[board].items() if value > expected[board].get(member, 0))
        differences = sum(1 for board in expected for member in set(expected[board]) | set(got[board])
                          if expected[board].get(member) != got[board].get(member))
        report = {"seed": seed, "appendfsync": args.appendfsync or "as the run command", "durability": args.durability, "faults": injected,
                  "faults_total": sum(injected.values()), "killed_mid_rewrite": cluster.killed_mid_rewrite, "deliveries_sent": len(stream),
                  "distinct_deliveries": len(unique), "2xx_first_pass": first_pass,
                  "redelivered_by_operator": sum(d.redeliveries for d in unique), "never_acknowledged": sum(1 for d in unique if not d.acknowledged),
                  "prs": len(latest), "acknowledged_but_lost": lost, "doubled": doubled, "board_differences": differences,
                  "seconds": round(time.time() - started, 1)}
        print(json.dumps(report))
        ok = lost == 0 and doubled == 0 and differences == 0 and report["never_acknowledged"] == 0
        if not ok:
            print("work folder kept for a look: " + work, file=sys.stderr)
        sys.exit(0 if ok else 1)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
