"""Year-long contests: the tie encoding holds 400 days (2^26 s), ties still rank by who reached
the points first at the very end, and boards stored in the older encoding (2^24 s) are rebuilt
once, by the first tool or server that opens the contest, without losing or doubling an award."""
import json
import unittest

from harness import OwnRedis, Server, cli, write_config
from payloads import github_delivery, github_pr

SECRET = "long-contest-secret"
ENV = {"LB_GITHUB_SECRET": SECRET, "LB_ADMIN_TOKEN": "long-contest-admin"}
NEW_SLOTS, OLD_SLOTS = 1 << 26, 1 << 24


def config_document(contest_id, starts_at, ends_at):
    people = [("alice", "alice"), ("bob", "bob"), ("carol", "carol"), ("dan", "dan")]
    return {"admin_token_env": "LB_ADMIN_TOKEN", "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"}},
            "contests": [{"id": contest_id, "title": "Year", "starts_at": starts_at, "ends_at": ends_at,
                          "repos": ["github:Codertocat/Hello-World"],
                          "teams": [{"id": "shanghai", "name": "上海", "kind": "city"}],
                          "participants": [{"id": pid, "name": pid.title(), "github": login, "teams": ["shanghai"]}
                                           for pid, login in people],
                          "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10}}}}]}


class LongContests(unittest.TestCase):
    def setUp(self):
        self.redis = OwnRedis()
        self.redis.start()
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            if server.process.poll() is None:
                server.stop()
        self.redis.stop()

    def serve(self, config):
        server = Server(config, self.redis.url, ENV)
        self.servers.append(server)
        server.wait_ready()
        return server

    def merge(self, server, number, author, merged_at, labels=("bug",)):
        body, headers = github_delivery(SECRET, github_pr(number=number, author=author, merged_at=merged_at, labels=labels))
        status, answer = server.json("POST", "/hooks/github", body, headers)
        self.assertEqual((status, answer.get("outcome")), (200, "applied"), answer)

    def standings(self, server, contest_id):
        status, body = server.json("GET", f"/api/contests/{contest_id}/standings?board=participants")
        self.assertEqual(status, 200, body)
        return [(row["id"], row["points"]) for row in body["rows"]]

    def test_a_365_day_contest_ranks_ties_by_time_at_its_end(self):
        # 365 days, from 2025-12-03 to 2026-12-03: the last merges come 364 days in, past the
        # 194 days the older encoding held.
        config = write_config(config_document("year", "2025-12-03T00:00:00Z", "2026-12-03T00:00:00Z"))
        server = self.serve(config)
        self.merge(server, 1, "carol", "2025-12-03T00:00:05Z")   # 11 points on the first day
        self.merge(server, 2, "bob", "2026-12-02T10:00:00Z")     # the same 11, a second later than alice
        self.merge(server, 3, "alice", "2026-12-02T09:59:59Z")
        self.merge(server, 4, "dan", "2026-12-02T10:00:01Z")
        self.merge(server, 5, "dan", "2026-12-02T10:00:02Z", labels=())  # 12 in all: more points first
        self.assertEqual(self.standings(server, "year"), [("dan", 12), ("carol", 11), ("alice", 11), ("bob", 11)])
        exported = json.loads(cli("export", "--config", config, "--contest", "year", "--redis", self.redis.url, "--live").stdout)
        self.assertEqual([(r["id"], r["points"], r["rank"]) for r in exported["rows"]],
                         [("dan", 12, 1), ("carol", 11, 2), ("alice", 11, 3), ("bob", 11, 4)])
        # A board score is exact: -points·2^26 + seconds since the start.
        score = float(self.redis.cli("ZSCORE", "lb:{year}:board:participants", "bob").strip())
        self.assertEqual(int(score), -1100 * NEW_SLOTS + (364 * 86400 + 10 * 3600))
        self.assertEqual(self.redis.cli("GET", "lb:{year}:tie_encoding").strip(), "score=-centi*2^26+seconds")

    def regress_to_the_old_encoding(self, contest_id):
        """Rewrites every board as a version with 2^24 time slots stored it, and removes the label."""
        for key in self.redis.cli("KEYS", f"lb:{{{contest_id}}}:board:*").split():
            flat = self.redis.cli("ZRANGE", key, "0", "-1", "WITHSCORES").split()
            for member, score in zip(flat[0::2], flat[1::2]):
                value = int(float(score))
                quotient = value // NEW_SLOTS
                offset = value - quotient * NEW_SLOTS
                self.redis.cli("ZADD", key, str(quotient * OLD_SLOTS + offset), member)
        self.redis.cli("DEL", f"lb:{{{contest_id}}}:tie_encoding")

    def test_boards_in_the_older_encoding_are_rebuilt_once_by_whoever_opens_them_first(self):
        config = write_config(config_document("week", "2026-11-28T00:00:00Z", "2026-12-12T00:00:00Z"))
        server = self.serve(config)
        self.merge(server, 1, "alice", "2026-12-01T10:00:00Z")
        self.merge(server, 2, "bob", "2026-12-01T09:00:00Z")
        self.merge(server, 3, "bob", "2026-12-01T11:00:00Z", labels=())
        expected = [("bob", 12), ("alice", 11)]
        self.assertEqual(self.standings(server, "week"), expected)
        server.stop()

        # A command-line tool opening the contest first rebuilds it.
        self.regress_to_the_old_encoding("week")
        done = cli("export", "--config", config, "--contest", "week", "--redis", self.redis.url, "--live")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("boards rebuilt in this version's tie encoding from 3 awards", done.stderr)
        self.assertEqual([(r["id"], r["points"]) for r in json.loads(done.stdout)["rows"]], expected)

        # So does a server at its start; awards wait for it (held, spooled) and then apply once.
        self.regress_to_the_old_encoding("week")
        server = self.serve(config)
        self.assertTrue(self.wait(lambda: "boards rebuilt in this version's tie encoding from 3 awards" in server.log()), server.log())
        self.merge(server, 4, "alice", "2026-12-01T12:00:00Z", labels=())
        self.assertEqual(self.standings(server, "week"), [("bob", 12), ("alice", 12)])
        self.assertEqual(self.redis.cli("HLEN", "lb:{week}:ledger").strip(), "4")
        self.assertEqual(self.redis.cli("GET", "lb:{week}:tie_encoding").strip(), "score=-centi*2^26+seconds")

    def test_a_contest_longer_than_400_days_is_refused_by_the_config_check(self):
        config = write_config(config_document("long", "2026-01-01T00:00:00Z", "2027-02-05T00:00:01Z"))
        done = cli("check-config", config)
        self.assertEqual(done.returncode, 2, done.stdout + done.stderr)
        self.assertIn("contests[0].ends_at: a contest may last at most 400 days", done.stdout + done.stderr)

    @staticmethod
    def wait(check, timeout=10):
        import time
        deadline = time.time() + timeout
        while time.time() < deadline:
            if check():
                return True
            time.sleep(0.1)
        return False


if __name__ == "__main__":
    unittest.main()
