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


def iso(days):
    """Now plus `days` (a float is fine) as RFC 3339 UTC to the second: contest windows relative to
    today, so no test turns into a time bomb."""
    import datetime
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def still_running(document, days=60):
    """The bundled examples' contests, kept running whatever today is: each end (and its freeze,
    the same time before it) moved to at least `days` from now. Starts stay, so the example
    merges still fall inside the window. Without this the tests would fail once the examples' dates
    pass (the first ends on 2027-01-31)."""
    import datetime
    soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    for contest in document["contests"]:
        end = datetime.datetime.fromisoformat(contest["ends_at"])
        if end >= soon:
            continue
        shift = soon - end
        for key in ("ends_at", "freeze_at"):
            if key in contest:
                contest[key] = (datetime.datetime.fromisoformat(contest[key]) + shift).isoformat(timespec="seconds")
    return document


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
