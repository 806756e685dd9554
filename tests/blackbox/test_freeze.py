"""The freeze: from it on, no public read shows an award (standings, a participant, events, history,
cells, a WebSocket snapshot or update), while the admin's reads show everything. Dates are relative
to now, so the test holds whatever day it runs."""
import json
import time
import unittest

from harness import CLOCK_OFFSET, Server, iso, redis_cli, redis_url, write_config
from payloads import github_delivery, github_pr
from wire import WebSocket

DB = 61
SECRET = "freeze-hook-secret"
ADMIN_TOKEN = "freeze-admin"
ENV = {"LB_GITHUB_SECRET": SECRET, "LB_ADMIN_TOKEN": ADMIN_TOKEN}
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
CONTEST = "frost"


def number(event):
    return event.get("number", event.get("details", {}).get("number"))  # a live frame's event, or the log's record


def config():
    return {
        "admin_token_env": "LB_ADMIN_TOKEN",
        "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"}},
        "contests": [{
            "id": CONTEST, "title": "Frost", "starts_at": iso(-2), "ends_at": iso(5),
            "repos": ["github:Codertocat/Hello-World"],
            "teams": [{"id": "shanghai", "name": "上海", "kind": "city"}],
            "participants": [{"id": "octo", "name": "Octo", "github": "Codertocat", "teams": ["shanghai"]},
                             {"id": "bob", "name": "Bob", "github": "bob-gh", "teams": ["shanghai"]}],
            "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10}}}}]}


class PublicReadsStopAtTheFreeze(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        redis_cli(DB, "FLUSHDB")
        cls.server = Server(write_config(config()), redis_url(DB), ENV)
        cls.server.wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def merge(self, number, author, merged_at=None):
        merged_at = merged_at or iso(0)
        body, headers = github_delivery(SECRET, github_pr(number=number, author=author, labels=("bug",), merged_at=merged_at))
        status, answer = self.server.json("POST", "/hooks/github", body, headers)
        self.assertEqual((status, answer.get("outcome")), (200, "applied"), answer)

    def read(self, path, headers=None):
        status, _, text = self.server.request("GET", f"/api/contests/{CONTEST}/{path}", None, headers or {})
        self.assertEqual(status, 200, text)
        return text

    def points(self, headers=None):
        return {r["id"]: r["points"] for r in json.loads(self.read("standings", headers))["rows"]}

    def viewer(self, admin):
        host, port = self.server.base.split("//")[1].split(":")
        ws = WebSocket(host, int(port), f"/ws?contest={CONTEST}&board=participants&limit=10")
        first = ws.next_json(lambda f: f["type"] == "snapshot")
        if not admin:
            return ws, first
        ws.send(json.dumps({"type": "subscribe", "contest": CONTEST, "board": "participants", "admin_token": ADMIN_TOKEN}))
        return ws, ws.next_json(lambda f: f["type"] == "snapshot")

    # The public award log is cut by the Redis stream ids (Redis's clock) before the freeze's
    # second (the engine's clock): a test clock that moves only the engine's clock cannot hold them
    # together (tests/year_ahead.sh). On one machine the two are the same clock.
    @unittest.skipIf(CLOCK_OFFSET, "the test clock moves the engine's clock, not Redis's stream ids")
    def test_nothing_awarded_after_the_freeze_shows_in_public_and_everything_shows_to_the_admin(self):
        self.merge(1, "Codertocat", iso(-1 / 24))  # an hour before the freeze
        self.assertEqual(self.points(), {"octo": 11})
        # A manual freeze is kept to the second, and the public log is cut by arrival before that
        # second: the freeze goes in the second after the last award (a known one-second seam).
        time.sleep(1.05 - time.time() % 1)
        status, _, text = self.server.request("POST", f"/api/contests/{CONTEST}/freeze", b"", ADMIN)
        self.assertEqual(status, 200, text)
        public_ws, public_snapshot = self.viewer(admin=False)
        admin_ws, admin_snapshot = self.viewer(admin=True)
        self.assertTrue(public_snapshot["frozen"])
        self.merge(2, "bob-gh")      # after the freeze
        self.merge(3, "Codertocat")  # after the freeze

        # The admin sees both awards at once, live and in every read.
        update = admin_ws.next_json(lambda f: f["type"] == "update" and any(number(e) == 3 for e in f.get("events", [])))
        self.assertTrue(update)
        self.assertEqual(self.points(ADMIN), {"octo": 22, "bob": 11})
        self.assertEqual(json.loads(self.read("participants/bob", ADMIN))["points"], 11)
        admin_events = [json.loads(line) for line in self.read("events", ADMIN).splitlines() if line]
        self.assertEqual(sorted(number(e) for e in admin_events), [1, 2, 3])

        # The public: exactly the board at the freeze, everywhere.
        self.assertEqual(self.points(), {"octo": 11})
        self.assertEqual(json.loads(self.read("participants/bob"))["points"], 0)
        self.assertEqual(json.loads(self.read("participants/octo"))["points"], 11)
        public_events = [json.loads(line) for line in self.read("events").splitlines() if line]
        self.assertEqual([number(e) for e in public_events], [1])
        history = json.loads(self.read("history?board=participants&member=octo"))
        self.assertEqual([(p["subject"], p["total"]) for p in history["points"]], [("github:codertocat/hello-world#1", 11)])
        admin_history = json.loads(self.read("history?board=participants&member=octo", ADMIN))
        self.assertEqual([p["total"] for p in admin_history["points"]], [11, 22])
        cells = json.loads(self.read("cells?ids=octo,bob"))
        self.assertEqual(cells["rows"], {"octo": {"prs": 1}, "bob": {"prs": 0}})
        admin_cells = json.loads(self.read("cells?ids=octo,bob", ADMIN))
        self.assertEqual(admin_cells["rows"], {"octo": {"prs": 2}, "bob": {"prs": 1}})

        # The public viewer got no update carrying them; a fresh public snapshot neither.
        deadline = time.time() + 1.0
        public_ws.sock.settimeout(0.2)
        seen = []
        while time.time() < deadline:
            try:
                seen.append(public_ws.next_json(limit=1))
            except (TimeoutError, OSError, AssertionError):
                pass
        for frame in seen:
            for row in frame.get("rows", []):
                self.assertLessEqual(row["points"], 11, frame)
            self.assertFalse([e for e in frame.get("events", []) if number(e) in (2, 3)], frame)
        fresh_ws, fresh = self.viewer(admin=False)
        self.assertEqual({r["id"]: r["points"] for r in fresh["rows"]}, {"octo": 11})
        self.assertFalse({number(e) for e in fresh["events"]} & {2, 3}, fresh["events"])
        for ws in (public_ws, admin_ws, fresh_ws):
            ws.close()


if __name__ == "__main__":
    unittest.main()
