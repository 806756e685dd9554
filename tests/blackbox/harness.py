"""Starts the real `leaderboard` binary against the test Redis and talks HTTP to it."""
import json
import os
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

BINARY = os.environ.get("LB_BINARY", "leaderboard")
EXAMPLES = os.environ.get("LB_EXAMPLES_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "examples"))


def redis_port():
    with open(os.path.join(os.environ["LB_TEST_REDIS_DIR"], "port")) as f:
        return int(f.read().strip())


def redis_cli(db, *args):
    return subprocess.run(["redis-cli", "-p", str(redis_port()), "-n", str(db), *args],
                          check=True, capture_output=True, text=True).stdout


def redis_url(db):
    return f"redis://127.0.0.1:{redis_port()}/{db}"


def cli(*args, env=None):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=60, env=env)


# The test clock (tests/year_ahead.sh): the server under test reads the same offset, so "now" is
# the same moment on both sides. Deadlines and waits use the real clock.
CLOCK_OFFSET = int(os.environ.get("LB_TEST_CLOCK_OFFSET_SECONDS", "0") or 0)


def now():
    """The test clock's now, in seconds since the epoch: for the times data carries (merges, windows)."""
    return time.time() + CLOCK_OFFSET


def iso(days):
    """Now plus `days` (a float is fine) as RFC 3339 UTC to the second: contest windows relative to
    today, so no test turns into a time bomb."""
    import datetime
    moment = datetime.datetime.fromtimestamp(now(), datetime.timezone.utc) + datetime.timedelta(days=days)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def example_shift(document, days=60):
    """How far the bundled examples' times move so that every contest still runs `days` from now:
    0 while they do, else whole weeks (weekdays and hours stay as recorded)."""
    import datetime
    import math
    soon = datetime.datetime.fromtimestamp(now(), datetime.timezone.utc) + datetime.timedelta(days=days)
    first_end = min(datetime.datetime.fromisoformat(c["ends_at"]) for c in document["contests"])
    if first_end >= soon:
        return 0
    week = 7 * 86400
    return math.ceil((soon - first_end).total_seconds() / week) * week


def shift_iso(text, seconds):
    """An RFC 3339 time moved by `seconds`, in its own offset."""
    import datetime
    moment = datetime.datetime.fromisoformat(text) + datetime.timedelta(seconds=seconds)
    return moment.isoformat().replace("+00:00", "Z") if text.endswith("Z") else moment.isoformat()


def _shift_times(node, seconds):
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("_at") and isinstance(value, str):
                node[key] = shift_iso(value, seconds)
            else:
                _shift_times(value, seconds)
    elif isinstance(node, list):
        for item in node:
            _shift_times(item, seconds)


def still_running(document, days=60):
    """The bundled examples' contests, kept running whatever today is: every time of every contest
    (starts, ends, freezes, assignments, votes) moved by example_shift, so each contest keeps its
    length (at most 400 days) and the examples' merges, moved the same way (example_prs), still
    fall inside. Without this the tests would fail once the examples' dates pass."""
    shift = example_shift(document, days)
    if shift:
        _shift_times(document["contests"], shift)
    return document


def example_time(text, days=60):
    """A time of the bundled examples as the tests see it: moved as still_running moves them."""
    with open(os.path.join(EXAMPLES, "geekweek.json"), encoding="utf-8") as f:
        return shift_iso(text, example_shift(json.load(f), days))


def example_prs(name, days=60):
    """examples/<name> (merges as NDJSON) with every time moved as still_running moves the
    examples' contests: a path to a copy, or the file itself while nothing moves."""
    path = os.path.join(EXAMPLES, name)
    with open(os.path.join(EXAMPLES, "geekweek.json"), encoding="utf-8") as f:
        shift = example_shift(json.load(f), days)
    if not shift:
        return path
    lines = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                _shift_times(record, shift)
                lines.append(json.dumps(record, ensure_ascii=False))
    handle, copy = tempfile.mkstemp(suffix="-" + name)
    with os.fdopen(handle, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return copy


def write_config(document):
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8")
    json.dump(document, handle, ensure_ascii=False)
    handle.close()
    return handle.name


class Server:
    """`leaderboard serve` on a free port; stopped with SIGTERM."""

    def __init__(self, config_path, redis, env_extra=None, spool=None, role="all", preexec=None, extra_args=()):
        env = dict(os.environ, **(env_extra or {}))
        self.config_path = config_path
        self.spool = spool or tempfile.mkdtemp(prefix="lb-spool-")
        self.process = subprocess.Popen(
            [BINARY, "serve", "--config", config_path, "--redis", redis, "--listen", "127.0.0.1:0",
             "--spool", self.spool, "--role", role, *extra_args], preexec_fn=preexec,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = self.process.stdout.readline()
        if "listening on" not in line:
            self.process.kill()
            raise RuntimeError("server did not start: " + line + self.process.stderr.read())
        self.base = line.split("listening on ")[1].split()[0].rstrip("/")
        # stderr is drained as it comes, so a chatty server never blocks and a failing test can show it.
        import threading
        self._log = []
        self._drain = threading.Thread(target=lambda: self._log.extend(iter(self.process.stderr.readline, "")), daemon=True)
        self._drain.start()

    def log(self):
        return "".join(self._log)

    def wait_ready(self, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.request("GET", "/readyz")[0] == 200:
                return
            time.sleep(0.05)
        raise RuntimeError("server never became ready")

    def request(self, method, path, body=None, headers=None):
        data = body if isinstance(body, (bytes, type(None))) else body.encode()
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def json(self, method, path, body=None, headers=None):
        status, _, text = self.request(method, path, body, headers)
        return status, json.loads(text)

    def kill(self):
        self.process.kill()
        self.process.wait()
        self._drain.join(timeout=5)
        self.process.stdout.close()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._drain.join(timeout=5)
        errors = self.log()
        self.process.stdout.close()
        # A sanitizer report fails the test even when every answer looked right.
        if "ERROR: AddressSanitizer" in errors or "runtime error:" in errors:
            if os.environ.get("LB_TEST_FULL_LOG"):
                with open(os.environ["LB_TEST_FULL_LOG"], "a") as f:
                    f.write(errors)
            raise AssertionError("the server reported memory or undefined-behaviour errors:\n" + errors[-5000:])


def kill_by_pid_file(path):
    """SIGKILL of the process a daemon's pid file names, waiting until it is gone."""
    try:
        with open(path) as f:
            pid = int(f.read())
        os.kill(pid, 9)
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.02)
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass


class OwnRedis:
    """A redis-server of one test's own (AOF on, appendfsync everysec unless given: the engine then
    acknowledges a delivery once Redis wrote it), so that it can be stopped and restarted. Its data
    lives in /dev/shm, where a background fsync never holds Redis's writes back."""

    def __init__(self):
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.dir = tempfile.mkdtemp(prefix="lb-own-redis-", dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self, *extra, wait_loaded=True):
        subprocess.run(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
                        "--appendonly", "yes", "--save", "", "--daemonize", "yes", "--enable-debug-command", "yes",
                        "--pidfile", self.dir + "/redis.pid", "--logfile", self.dir + "/redis.log", *extra], check=True)
        for _ in range(200):
            # redis-cli exits 0 on an error reply too: a Redis loading its data answers "LOADING ...".
            answer = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True)
            if answer.returncode == 0 and ("PONG" in answer.stdout or not wait_loaded):
                return
            time.sleep(0.05)
        raise RuntimeError("own redis did not start")

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True).stdout

    def stop(self):
        """Shuts it down without saving, and makes sure it is gone."""
        self.cli("shutdown", "nosave")
        self.kill()

    def kill(self):
        kill_by_pid_file(self.dir + "/redis.pid")
        if os.path.exists(self.dir + "/redis.pid"):
            os.remove(self.dir + "/redis.pid")
