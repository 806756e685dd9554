"""The community: people sign up, organizers approve (a community id, issued once) or reject,
duplicates are refused by login on either host, and a person's profile is public."""
import json
import time
import unittest

from harness import OwnRedis, Server, write_config
from payloads import github_delivery, github_pr
from wire import WebSocket

TOKEN = "community-admin"
SECRET = "community-secret"
ENV = {"LB_ADMIN_TOKEN": TOKEN, "LB_GITHUB_SECRET": SECRET}
ADMIN = {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}
JSON = {"Content-Type": "application/json"}


def config_document(community=True):
    document = {"admin_token_env": "LB_ADMIN_TOKEN",
                "contests": [{"id": "week", "title": "Week", "starts_at": "2026-11-28T00:00:00Z", "ends_at": "2026-12-12T00:00:00Z",
                              "repos": ["github:Codertocat/Hello-World"], "teams": [], "participants": [],
                              "rules": {"pull_requests": {"base_points": 1}}}]}
    if community:
        document["community"] = {"id_prefix": "MSG-", "id_width": 6}
    return document


class Community(unittest.TestCase):
    def setUp(self):
        self.redis = OwnRedis()
        self.redis.start()
        self.server = Server(write_config(config_document()), self.redis.url, ENV)
        self.server.wait_ready()

    def tearDown(self):
        self.server.stop()
        self.redis.stop()

    def sign_up(self, **fields):
        return self.server.json("POST", "/api/community/sign-ups", json.dumps(fields, ensure_ascii=False).encode(), JSON)

    def decide(self, request, verdict, status=200):
        code, body = self.server.json("POST", f"/api/community/sign-ups/{request}/{verdict}", b"", ADMIN)
        self.assertEqual(code, status, body)
        return body

    def test_sign_up_approval_issues_ids_once_and_refuses_duplicates(self):
        status, first = self.sign_up(name="李雷", github="Li-Lei", city="上海", school="复旦大学")
        self.assertEqual((status, first["state"]), (201, "pending"), first)
        # The same login, in another case, while the first waits: refused, naming the field.
        status, again = self.sign_up(name="Li Lei", github="li-lei")
        self.assertEqual((status, again["error"], again["field"]), (409, "duplicate_login", "github"), again)
        self.assertIn("waiting for approval", again["message"])
        status, second = self.sign_up(name="韩梅梅", gitee="hanmeimei", city="北京")
        self.assertEqual(status, 201, second)

        status, queue = self.server.json("GET", "/api/community/sign-ups", None, ADMIN)
        self.assertEqual([r["id"] for r in queue["sign_ups"]], [first["request"], second["request"]])
        self.assertEqual(queue["sign_ups"][0]["name"], "李雷")
        self.assertEqual(self.server.json("GET", "/api/community/sign-ups", None, JSON)[0], 401)  # the queue is the organizers'

        approved = self.decide(first["request"], "approve")
        self.assertEqual(approved["community_id"], "MSG-000001")
        self.assertEqual(self.decide(first["request"], "approve", 409)["error"], "already_decided")
        # Once a member, the login is refused with another message.
        status, taken = self.sign_up(name="LL", github="LI-LEI")
        self.assertEqual((status, taken["field"]), (409, "github"))
        self.assertIn("already belongs to a member", taken["message"])

        # A rejected request frees its login; the next approval takes the next number, never a reused one.
        self.decide(second["request"], "reject")
        status, retry = self.sign_up(name="韩梅梅", gitee="HanMeiMei", city="北京")
        self.assertEqual(status, 201, retry)
        self.assertEqual(self.decide(retry["request"], "approve")["community_id"], "MSG-000002")
        status, rejected = self.server.json("GET", "/api/community/sign-ups?state=rejected", None, ADMIN)
        self.assertEqual([r["id"] for r in rejected["sign_ups"]], [second["request"]])

        status, person = self.server.json("GET", "/api/people/MSG-000001", None, {})
        self.assertEqual(status, 200, person)
        self.assertEqual((person["id"], person["name"], person["github"]), ("MSG-000001", "李雷", "Li-Lei"))
        self.assertEqual(sorted((m["kind"], m["chapter"]) for m in person["memberships"]), [("city", "上海"), ("school", "复旦大学")])
        self.assertTrue(person["memberships"][0]["since"].endswith("Z"))
        self.assertEqual(self.server.json("GET", "/api/people/MSG-000009", None, {})[0], 404)
        # The decisions are audited.
        self.assertEqual(self.redis.cli("XLEN", "lb:{community}:audit").strip(), "3")

    def test_a_refused_sign_up_changes_nothing(self):
        before = self.redis.cli("DBSIZE").strip()
        for fields, field in [({"github": "octo"}, "name"), ({"name": "Octo"}, "github"), ({"name": "Octo", "github": "-x"}, "github"),
                              ({"name": "Octo", "github": "octo", "level": 3}, "level")]:
            status, body = self.sign_up(**fields)
            self.assertEqual((status, body["error"], body["field"]), (400, "bad_field", field), body)
        self.assertEqual(self.redis.cli("DBSIZE").strip(), before)


def profile_config():
    """Three contests: Li Lei takes part in "week" by login and in "camp" by community id under
    another login; "other" has a participant with his login who names another person."""
    def contest(contest_id, repo, participants):
        return {"id": contest_id, "title": contest_id.title(), "starts_at": "2026-11-28T00:00:00Z", "ends_at": "2026-12-12T00:00:00Z",
                "repos": ["github:" + repo], "teams": [], "participants": participants,
                "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10}}}}
    return {"admin_token_env": "LB_ADMIN_TOKEN", "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"}},
            "community": {"id_prefix": "MSG-", "id_width": 6,
                          "levels": [{"id": "L0", "name": "Registered"}, {"id": "L1", "name": "First merge", "merged_prs": 1},
                                     {"id": "L2", "name": "Contributor", "merged_prs": 3, "points": 25}]},
            "contests": [contest("week", "Codertocat/Hello-World", [{"id": "li", "name": "李雷", "github": "Li-Lei"}]),
                         contest("camp", "octo-org/camp", [{"id": "lei", "name": "李雷", "github": "lilei-alt", "person": "MSG-000001"}]),
                         contest("other", "octo-org/other", [{"id": "namesake", "name": "Li Lei", "github": "li-lei", "person": "MSG-000002"}])]}


class Profiles(unittest.TestCase):
    def setUp(self):
        self.redis = OwnRedis()
        self.redis.start()
        self.server = Server(write_config(profile_config()), self.redis.url, ENV)
        self.server.wait_ready()

    def tearDown(self):
        self.server.stop()
        self.redis.stop()

    def merge(self, repo, number, author, labels=()):
        body, headers = github_delivery(SECRET, github_pr(number=number, author=author, labels=labels, repo=repo,
                                                          merged_at="2026-12-01T10:%02d:00Z" % number))
        status, answer = self.server.json("POST", "/hooks/github", body, headers)
        self.assertEqual((status, answer.get("outcome")), (200, "applied"), answer)

    def logged_within(self, contest, text, seconds=10):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if text in self.redis.cli("XRANGE", f"lb:{{{contest}}}:log", "-", "+"):
                return True
            time.sleep(0.1)
        return False

    def profile(self):
        status, person = self.server.json("GET", "/api/people/MSG-000001", None, {})
        self.assertEqual(status, 200, person)
        return person

    def test_a_profile_gathers_contests_points_awards_and_the_level(self):
        code, request = self.server.json("POST", "/api/community/sign-ups", json.dumps({"name": "李雷", "github": "Li-Lei"}).encode(), JSON)
        self.assertEqual(code, 201, request)
        code, approved = self.server.json("POST", f"/api/community/sign-ups/{request['request']}/approve", b"", ADMIN)
        self.assertEqual(approved["community_id"], "MSG-000001")
        person = self.profile()
        # Taking part by login in "week" and by community id in "camp"; "other"'s participant with his login names another person.
        self.assertEqual([(c["id"], c["points"], c["awards"]) for c in person["contests"]], [("week", 0, []), ("camp", 0, [])])
        self.assertEqual((person["points"], person["merged_prs"]), (0, 0))
        self.assertEqual((person["level"]["id"], person["level"]["next"]["id"], person["level"]["next"]["merged_prs"]), ("L0", "L1", 1))

        self.merge("Codertocat/Hello-World", 1, "Li-Lei")          # week: 1 point
        self.merge("octo-org/other", 2, "li-lei", ["bug"])          # other: the namesake's, not his
        # The level watch announces L1 in "week" within its next pass (once a second).
        self.assertTrue(self.logged_within("week", '"L1"'), self.redis.cli("XRANGE", "lb:{week}:log", "-", "+"))
        person = self.profile()
        self.assertEqual([(c["id"], c["points"]) for c in person["contests"]], [("week", 1), ("camp", 0)])
        self.assertEqual((person["points"], person["merged_prs"], person["level"]["id"]), (1, 1, "L1"))
        award = person["contests"][0]["awards"][0]
        self.assertEqual((award["subject"], award["points"], award["at"]),
                         ("github:codertocat/hello-world#1", 1, "2026-12-01T10:01:00Z"))

        self.merge("octo-org/camp", 3, "lilei-alt", ["bug"])        # camp, by community id: 11 points
        person = self.profile()
        self.assertEqual([(c["id"], c["participant"], c["points"], c["merged_prs"]) for c in person["contests"]],
                         [("week", "li", 1, 1), ("camp", "lei", 11, 1)])
        self.assertEqual((person["points"], person["level"]["id"]), (12, "L1"))   # 2 merges, 12 points: not yet L2
        host, port = self.server.base.split("//")[1].split(":")
        viewer = WebSocket(host, int(port), "/ws?contest=camp&board=participants")
        viewer.next_json(lambda f: f["type"] == "snapshot")
        self.merge("octo-org/camp", 4, "lilei-alt")
        person = self.profile()
        self.assertEqual((person["points"], person["merged_prs"], person["level"]["id"], person["level"]["next"]), (13, 3, "L2", None))
        # The third merge takes him to L2: the level watch logs it on camp's award log, and the viewer gets it as an event.
        frame = viewer.next_json(lambda f: f["type"] == "update" and any(e["source"] == "level_up" for e in f["events"]), limit=20)
        event = next(e for e in frame["events"] if e["source"] == "level_up")
        self.assertEqual((event["participant"], event["participant_name"], event["level"], event["person"]),
                         ("lei", "李雷", {"id": "L2", "name": "Contributor", "name_zh": ""}, "MSG-000001"))
        viewer.close()
        logged = self.redis.cli("XRANGE", "lb:{camp}:log", "-", "+")
        self.assertEqual(logged.count("level_up"), 1, logged)   # announced once: L1 was reached earlier, in "week"
        self.assertEqual(self.redis.cli("XRANGE", "lb:{week}:log", "-", "+").count('"L1"'), 1)
        self.assertEqual(self.redis.cli("HGET", "lb:{community}:levels", "MSG-000001").strip(), "2")


class ClosedCommunity(unittest.TestCase):
    def test_without_a_community_block_there_are_no_sign_ups(self):
        redis = OwnRedis()
        redis.start()
        server = Server(write_config(config_document(community=False)), redis.url, ENV)
        try:
            server.wait_ready()
            status, body = server.json("POST", "/api/community/sign-ups", b'{"name": "x", "github": "x"}', JSON)
            self.assertEqual((status, body["error"]), (404, "community_closed"))
            self.assertEqual(server.json("GET", "/api/people/LB-000001", None, {})[0], 404)
        finally:
            server.stop()
            redis.stop()


if __name__ == "__main__":
    unittest.main()
