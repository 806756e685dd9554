"""Redis processes of a test's own (servers, sentinels, cluster nodes) on free loopback ports."""
import os
import socket
import subprocess
import time

from harness import kill_by_pid_file


def shm():
    """Where the nodes keep their data: in memory when the machine has /dev/shm (an fsync costs nothing there)."""
    return "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """One redis-server (or redis-sentinel) process of the test's own."""

    def __init__(self, work, name):
        self.port, self.dir = free_port(), os.path.join(work, name)
        self.bus_port = free_port()  # a cluster node's bus (its default, port + 10000, may be taken or past 65535)
        os.makedirs(self.dir)

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True, timeout=5).stdout.strip()

    def start_redis(self, *extra):
        subprocess.run(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
                        # AOF fsync'ed before each answer, as the run command runs Redis: the engine acknowledges as applied.
                        "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "yes",
                        "--pidfile", self.dir + "/pid", "--logfile", self.dir + "/log", *extra], check=True)
        self.wait_pong()

    def start_sentinel(self, name, primary_port):
        conf = os.path.join(self.dir, "sentinel.conf")
        with open(conf, "w") as f:
            f.write(f"port {self.port}\nbind 127.0.0.1\ndaemonize yes\ndir {self.dir}\n"
                    f"pidfile {self.dir}/pid\nlogfile {self.dir}/log\n"
                    f"sentinel monitor {name} 127.0.0.1 {primary_port} 2\n"
                    f"sentinel down-after-milliseconds {name} 1000\n"
                    f"sentinel failover-timeout {name} 6000\n"
                    f"sentinel parallel-syncs {name} 1\n")
        subprocess.run(["redis-sentinel", conf], check=True)
        self.wait_pong()

    def wait_pong(self):
        for _ in range(100):
            if self.cli("ping") == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError(f"{self.dir} did not start")

    def kill(self):
        kill_by_pid_file(self.dir + "/pid")


def wait_for(what, check, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
