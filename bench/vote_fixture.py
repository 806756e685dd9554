#!/usr/bin/env python3
"""bench/votes.sh's parts: the contest (a vote open now, or closed an hour ago), the store as
members' ballots leave it (RESP for redis-cli --pipe), and the timed close and voids."""
import datetime
import json
import random
import statistics
import subprocess
import sys
import time
import urllib.request


def iso(hours):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=hours)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def config(entries, phase):
    window = {"opens_at": iso(-2), "closes_at": iso(2)} if phase == "open" else {"opens_at": iso(-2), "closes_at": iso(-1)}
    teams = [{"id": f"city{i}", "name": f"City {i}", "kind": "city"} for i in range(10)]
    people = [{"id": f"p{i}", "name": f"Participant {i}", "github": f"p{i}", "teams": [f"city{i % 10}"]} for i in range(entries)]
    return {"admin_token_env": "LB_ADMIN_TOKEN", "community": {"id_prefix": "V-"},
            "contests": [{"id": "camp", "title": "Camp", "starts_at": iso(-48), "ends_at": iso(240), "repos": [],
                          "teams": teams, "participants": people,
                          "rules": {"components": [{"id": "video", "kind": "votes", "max": 100, "vote": {**window, "k": 3}}]}}]}


def resp(*args):
    out = f"*{len(args)}\r\n"
    for a in args:
        b = str(a).encode()
        out += f"${len(b)}\r\n{b.decode()}\r\n"
    return out


def store(entries, voters):
    rng = random.Random(7)
    now = int(time.time()) - 3600
    lines = []
    for i in range(entries):
        lines.append(resp("HSET", "lb:{camp}:vote:video:entries", f"p{i}",
                          json.dumps({"participant": f"p{i}", "url": f"https://example.org/{i}", "title": f"Entry {i}", "handed_at": now - 86400})))
    # Popularity skewed like a real vote: a few entries draw most approvals.
    weights = [1 / (i + 1) for i in range(entries)]
    for v in range(voters):
        chosen = set()
        while len(chosen) < 3:
            chosen.add(rng.choices(range(entries), weights)[0])
        ballot = {"voter": f"V-{v:06d}", "entries": [f"p{i}" for i in chosen], "cast_at": now + v % 3600, "client": f"10.{v % 250}.{v // 250 % 250}.1"}
        lines.append(resp("HSET", "lb:{camp}:vote:video:ballots", f"V-{v:06d}", json.dumps(ballot)))
    lines.append(resp("SET", "lb:{camp}:vote:video:version", voters))
    sys.stdout.write("".join(lines))


def redis(port, *args):
    return subprocess.run(["redis-cli", "-p", port, *args], capture_output=True, text=True, check=True).stdout.strip()


def call(base, method, path, body=None):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else b"", method=method,
                                     headers={"Authorization": "Bearer bench-admin", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def measure(base, port, voids):
    version = redis(port, "GET", "lb:{camp}:vote:video:version")
    started = time.monotonic()
    call(base, "POST", "/api/config/reload")
    while redis(port, "GET", "lb:{camp}:vote:video:tallied") != version:
        time.sleep(0.005)
    closed = time.monotonic() - started
    board = redis(port, "ZCARD", "lb:{camp}:board:component:video")
    print(f"close: tally applied {closed * 1000:.0f} ms after the reload (up to 1,000 ms of it the tally pass's wait); {board} entries on the board")
    times = []
    for v in range(voids):
        started = time.monotonic()
        call(base, "POST", f"/api/contests/camp/votes/video/ballots/V-{v:06d}/void", {"reason": "bench"})
        times.append(time.monotonic() - started)
        if redis(port, "GET", "lb:{camp}:vote:video:tallied") != redis(port, "GET", "lb:{camp}:vote:video:version"):
            sys.exit("a void was answered before its re-tally")
    print(f"re-tally on a void: median {statistics.median(times) * 1000:.0f} ms, runs {', '.join(f'{t * 1000:.0f}' for t in times)} ms")


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "config":
        print(json.dumps(config(int(sys.argv[2]), sys.argv[3])))
    elif what == "store":
        store(int(sys.argv[2]), int(sys.argv[3]))
    else:
        measure(sys.argv[2], sys.argv[3], int(sys.argv[4]))
