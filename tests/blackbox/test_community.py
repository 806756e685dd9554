"""The community: people sign up, organizers approve (a community id, issued once) or reject,
duplicates are refused by login on either host, and a person's profile is public."""
import calendar
import concurrent.futures
import json
import re
import time
import unittest

from harness import OwnRedis, Server, cli, write_config
from harness import now as test_now
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
        # Each level reached earned a certificate, once, listed on the profile and readable by its id.
        deadline = time.time() + 5
        while len(self.profile()["certificates"]) < 2 and time.time() < deadline:
            time.sleep(0.1)
        certificates = {c["level"]: c for c in self.profile()["certificates"]}
        self.assertEqual(sorted(certificates), ["L1", "L2"])
        status, l2 = self.server.json("GET", f"/api/certificates/{certificates['L2']['id']}", None, {})
        self.assertEqual((status, l2["kind"], l2["level"], l2["title"]["en"], l2["contest"], l2["name"], l2["community_id"], l2["rank"]),
                         (200, "level", "L2", "Contributor", "camp", "李雷", "MSG-000001", 0), l2)
        self.assertEqual(certificates["L1"]["url"], f"/certificates/{certificates['L1']['id']}")
        self.assertEqual(self.server.json("GET", f"/api/certificates/{certificates['L1']['id']}", None, {})[1]["contest"], "week")


def operations_config():
    """A week in August with two cities; the history around it comes from a backfill and webhooks."""
    people = [{"id": "ann", "name": "Ann", "github": "ann", "teams": ["beijing"]},
              {"id": "bob", "name": "Bob", "github": "Bob", "teams": ["beijing"]},
              {"id": "cat", "name": "Cat", "github": "cat", "teams": ["shanghai"]},
              {"id": "dan", "name": "Dan", "github": "dan", "teams": ["shanghai"]}]
    return {"admin_token_env": "LB_ADMIN_TOKEN", "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"}},
            "community": {"id_prefix": "MSG-", "id_width": 6},
            "contests": [{"id": "august", "title": "August", "starts_at": "2026-08-01T00:00:00Z", "ends_at": "2026-08-08T00:00:00Z",
                          "repos": ["github:Codertocat/Hello-World"], "participants": people,
                          "teams": [{"id": "beijing", "name": {"en": "Beijing", "zh": "北京"}, "kind": "city"},
                                    {"id": "shanghai", "name": "Shanghai", "kind": "city"}],
                          "rules": {"pull_requests": {"base_points": 1}, "components": [{"id": "talk", "max": 10}]}}]}


class Operations(unittest.TestCase):
    """New contributors, retention, the funnel and merges per day for a hand-built history,
    figure by figure as docs/design.md ("Operations figures") defines them."""

    def setUp(self):
        self.redis = OwnRedis()
        self.redis.start()
        self.config = write_config(operations_config())
        self.server = Server(self.config, self.redis.url, ENV)
        self.server.wait_ready()

    def tearDown(self):
        self.server.stop()
        self.redis.stop()

    def merge(self, number, author, merged_at):
        body, headers = github_delivery(SECRET, github_pr(number=number, author=author, merged_at=merged_at))
        status, answer = self.server.json("POST", "/hooks/github", body, headers)
        self.assertEqual(status, 200, answer)
        return body, headers

    def test_figures_of_a_hand_built_history_match_the_definitions(self):
        # Before the engine ran: Ann merged in July (a backfill), so she is no new contributor in August.
        history = write_config({})
        with open(history, "w") as f:
            f.write(json.dumps({"host": "github", "repo": "Codertocat/Hello-World", "number": 1, "author": "ann",
                                "merged_at": "2026-07-01T09:00:00Z", "updated_at": "2026-07-01T09:00:00Z"}) + "\n")
        done = cli("import-prs", "--config", self.config, "--contest", "august", "--file", history, "--redis", self.redis.url)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.merge(2, "ann", "2026-08-02T10:00:00Z")
        first_bob = self.merge(3, "bob", "2026-08-03T10:00:00Z")
        self.merge(4, "cat", "2026-08-05T10:00:00Z")
        self.merge(5, "zed", "2026-08-06T10:00:00Z")   # not registered for the contest
        self.merge(6, "bob", "2026-08-20T10:00:00Z")   # within 30 days after the end
        self.merge(7, "cat", "2026-10-15T10:00:00Z")   # within 90 days, not 30
        status, redelivered = self.server.json("POST", "/hooks/github", *first_bob)
        self.assertEqual(status, 200, redelivered)     # a redelivery records nothing twice
        self.assertEqual(self.redis.cli("ZCARD", "lb:{community}:merges").strip(), "7")
        self.assertEqual(self.redis.cli("ZSCORE", "lb:{community}:first_merges", "github:ann").strip(), "1782896400")

        # Bob is a member of the community (he signed up after his merges).
        code, request = self.server.json("POST", "/api/community/sign-ups", json.dumps({"name": "Bob", "github": "bob"}).encode(), JSON)
        self.assertEqual(code, 201, request)
        self.assertEqual(self.server.json("POST", f"/api/community/sign-ups/{request['request']}/approve", b"", ADMIN)[0], 200)

        # Dan merged nothing but gave a judged talk: active all the same.
        status, scored = self.server.json("PUT", "/api/contests/august/components/talk", b'{"dan": 5}', ADMIN)
        self.assertEqual(status, 200, scored)

        status, report = self.server.json("GET", "/api/contests/august/operations", None, ADMIN)
        self.assertEqual(status, 200, report)
        self.assertEqual(report["kind"], "city")
        rows = {r["id"]: r for r in report["chapters"]}
        figures = ["registered", "active", "merged", "merged_again", "new_contributors", "retained_30", "retained_90", "merges"]
        self.assertEqual([rows["beijing"][k] for k in figures], [2, 2, 2, 1, 1, 1, 1, 2])
        self.assertEqual([rows["shanghai"][k] for k in figures], [2, 2, 1, 1, 1, 0, 1, 1])
        self.assertEqual([rows["unregistered"][k] for k in figures], [0, 0, 0, 0, 1, 0, 0, 1])
        self.assertEqual([report["totals"][k] for k in figures], [4, 4, 3, 2, 3, 1, 2, 4])
        self.assertEqual(report["retention"], {"new_contributors": 3, "rate_30": 0.333, "rate_90": 0.667})
        self.assertEqual(report["retention_complete"], {"30": True, "90": True})
        self.assertEqual(report["funnel"], {"registered": 4, "merged": 3, "merged_again": 2,
                                            "registered_to_merged": 0.75, "merged_to_merged_again": 0.667})
        wait = report["time_to_first_merge"]
        self.assertEqual((wait["members"], wait["merged_before_registering"], wait["measured"]), (1, 1, 0))
        self.assertEqual(report["daily"]["days"][0], "2026-08-01")
        self.assertEqual(report["daily"]["chapters"]["beijing"], [0, 1, 1, 0, 0, 0, 0])
        self.assertEqual(report["daily"]["chapters"]["shanghai"], [0, 0, 0, 0, 1, 0, 0])
        self.assertEqual(report["daily"]["chapters"]["unregistered"], [0, 0, 0, 0, 0, 1, 0])

        status, headers, text = self.server.request("GET", "/api/contests/august/operations?format=csv", None, ADMIN)
        self.assertEqual((status, headers["Content-Type"]), (200, "text/csv; charset=utf-8"))
        self.assertIn("beijing,Beijing,2,2,2,1,1,1,1,2\r\n", text)
        self.assertIn("total,Total,4,4,3,2,3,1,2,4\r\n", text)
        status, _, daily = self.server.request("GET", "/api/contests/august/operations?format=csv&table=daily", None, ADMIN)
        self.assertIn("2026-08-03,beijing,1\r\n", daily)
        # The figures are the organizers': no token, no figures; a bad query names its field.
        self.assertEqual(self.server.json("GET", "/api/contests/august/operations", None, {})[0], 401)
        status, body = self.server.json("GET", "/api/contests/august/operations?kind=planet", None, ADMIN)
        self.assertEqual((status, body["error"]), (400, "bad_query"))
        self.assertIn("kind", body["message"])


def season_config():
    """A season of two contests, the second weighted double; Li Lei and Han Meimei take part in both."""
    def contest(contest_id, starts, ends, participants):
        return {"id": contest_id, "title": contest_id.title(), "starts_at": starts, "ends_at": ends,
                "repos": ["github:octo-org/" + contest_id], "teams": [], "participants": participants,
                "rules": {"pull_requests": {"base_points": 10}}}
    return {"admin_token_env": "LB_ADMIN_TOKEN", "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"}},
            "community": {"id_prefix": "MSG-", "id_width": 6},
            "contests": [contest("winter", "2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z",
                                 [{"id": "li", "name": "Li Lei", "github": "li-lei"}, {"id": "han", "name": "Han", "github": "hanmei"}]),
                         contest("spring", iso(test_now() - 86400), iso(test_now() + 30 * 86400),   # running whenever the test runs
                                 [{"id": "lei", "name": "Li Lei", "github": "li-lei"}, {"id": "mei", "name": "Han", "github": "hanmei"}])],
            "seasons": [{"id": "s2026", "title": {"en": "Season 2026", "zh": "2026 赛季"},
                         "contests": [{"id": "winter", "weight": 1}, {"id": "spring", "weight": 2}]}]}


def iso(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


class MembersWhoMerge:
    """A server of its own for the config the class names; members join and merge."""
    def setUp(self):
        self.redis = OwnRedis()
        self.redis.start()
        self.server = Server(write_config(self.config()), self.redis.url, ENV)
        self.server.wait_ready()

    def tearDown(self):
        self.server.stop()
        self.redis.stop()

    def join(self, name, login, city):
        code, request = self.server.json("POST", "/api/community/sign-ups", json.dumps({"name": name, "github": login, "city": city}).encode(), JSON)
        self.assertEqual(code, 201, request)
        code, approved = self.server.json("POST", f"/api/community/sign-ups/{request['request']}/approve", b"", ADMIN)
        self.assertEqual(code, 200, approved)
        return approved["community_id"]

    def merge(self, repo, number, author, merged_at):
        body, headers = github_delivery(SECRET, github_pr(number=number, author=author, repo=repo, merged_at=merged_at))
        status, answer = self.server.json("POST", "/hooks/github", body, headers)
        self.assertEqual((status, answer.get("outcome")), (200, "applied"), answer)

    def joined_at(self, community_id):
        joined = self.server.json("GET", f"/api/people/{community_id}", None, {})[1]["memberships"][0]["since"]
        return joined, calendar.timegm(time.strptime(joined, "%Y-%m-%dT%H:%M:%SZ"))


class Seasons(MembersWhoMerge, unittest.TestCase):
    config = staticmethod(season_config)

    def board(self, board):
        status, page = self.server.json("GET", f"/api/seasons/s2026/standings?board={board}", None, {})
        self.assertEqual(status, 200, page)
        return page

    def test_a_person_who_moves_mid_season_leaves_past_points_with_the_old_chapter(self):
        li = self.join("李雷", "li-lei", "Shanghai")
        han = self.join("韩梅梅", "hanmei", "Beijing")
        joined, t0 = self.joined_at(li)
        while test_now() < t0 + 2.2:   # every merge below lies in the past when it is delivered
            time.sleep(0.1)
        self.merge("octo-org/winter", 1, "li-lei", "2026-11-10T10:00:00Z")   # 10 × 1, before he joined: his first chapter
        self.merge("octo-org/spring", 2, "li-lei", iso(t0 + 1))              # 10 × 2 in Shanghai
        self.merge("octo-org/spring", 3, "hanmei", iso(t0 + 1))              # 10 × 2 in Beijing
        # Too early (before his Shanghai membership began) is refused and changes nothing.
        status, refused = self.server.json("POST", f"/api/people/{li}/memberships",
                                           json.dumps({"kind": "city", "chapter": "Beijing", "since": iso(t0 - 60)}).encode(), ADMIN)
        self.assertEqual((status, refused["error"], refused["field"]), (409, "move_refused", "since"), refused)
        status, moved = self.server.json("POST", f"/api/people/{li}/memberships",
                                         json.dumps({"kind": "city", "chapter": "Beijing", "since": iso(t0 + 2), "reason": "moved for work"}).encode(), ADMIN)
        self.assertEqual((status, moved["moved"]), (200, True), moved)
        self.assertEqual([(m["chapter"], m["since"], m["until"]) for m in moved["memberships"]],
                         [("Shanghai", joined, iso(t0 + 2)), ("Beijing", iso(t0 + 2), "")])
        self.merge("octo-org/spring", 4, "li-lei", iso(test_now()))         # 10 × 2 in Beijing

        people = self.board("people")
        self.assertEqual([(r["rank"], r["id"], r["name"], r["points"]) for r in people["rows"]], [(1, li, "李雷", 50), (2, han, "韩梅梅", 20)])
        self.assertEqual(people["rows"][0]["contests"], {"winter": 10, "spring": 40})
        self.assertEqual(people["contests"], [{"id": "winter", "weight": 1.0}, {"id": "spring", "weight": 2.0}])
        cities = self.board("chapters:city")
        self.assertEqual([(r["id"], r["points"], r["members"]) for r in cities["rows"]], [("Beijing", 40, 2), ("Shanghai", 30, 1)])
        self.assertEqual(self.board("chapters:school")["rows"], [])
        status, _, text = self.server.request("GET", "/api/seasons/s2026/standings?board=chapters:city&format=csv", None, {})
        self.assertEqual(text, "rank,id,name,points\r\n1,Beijing,Beijing,40\r\n2,Shanghai,Shanghai,30\r\n")
        # The profile shows both memberships with their dates; the move is audited.
        person = self.server.json("GET", f"/api/people/{li}", None, {})[1]
        self.assertEqual([(m["chapter"], m["until"]) for m in person["memberships"]], [("Shanghai", iso(t0 + 2)), ("Beijing", "")])
        self.assertIn("move_chapter", self.redis.cli("XRANGE", "lb:{community}:audit", "-", "+"))

        # The season's operations figures count each person once across its contests, each merge with
        # the chapter of its day, each person with the chapter they hold now.
        status, report = self.server.json("GET", "/api/seasons/s2026/operations?kind=city", None, ADMIN)
        self.assertEqual(status, 200, report)
        self.assertEqual((report["season"], report["starts_at"]), ("s2026", "2026-11-01T00:00:00Z"))
        rows = {r["id"]: r for r in report["chapters"]}
        figures = ["registered", "active", "merged", "new_contributors", "merges"]
        self.assertEqual([rows["Beijing"][k] for k in figures], [2, 2, 2, 2, 2])
        self.assertEqual([rows["Shanghai"][k] for k in figures], [0, 0, 0, 0, 2])
        self.assertEqual([report["totals"][k] for k in figures], [2, 2, 2, 2, 4])
        self.assertEqual(report["retention_complete"], {"30": False, "90": False})
        wait = report["time_to_first_merge"]
        self.assertEqual((wait["members"], wait["merged_before_registering"], wait["measured"]), (2, 1, 1))
        status, _, text = self.server.request("GET", "/api/seasons/s2026/operations?kind=city&format=csv", None, ADMIN)
        self.assertIn("Beijing,Beijing,2,2,2,0,2,0,0,2\r\n", text)
        self.assertEqual(self.server.json("GET", "/api/seasons/s2026/operations", None, {})[0], 401)
        self.assertEqual(self.server.json("GET", "/api/seasons/s2027/operations", None, ADMIN)[1]["error"], "unknown_season")
        status, body = self.server.json("GET", "/api/seasons/s2026/operations?table=weekly", None, ADMIN)
        self.assertEqual((status, body["error"]), (400, "bad_query"))
        self.assertIn("table", body["message"])

        status, listed = self.server.json("GET", "/api/seasons", None, {})
        self.assertEqual([s["id"] for s in listed["seasons"]], ["s2026"])
        self.assertEqual(self.server.json("GET", "/api/seasons/s2027/standings", None, {})[1]["error"], "unknown_season")
        self.assertEqual(self.server.json("GET", "/api/seasons/s2026/standings?board=teams", None, {})[1]["error"], "unknown_board")
        # The same chapter again changes nothing; the route is the organizers'.
        again = self.server.json("POST", f"/api/people/{li}/memberships", json.dumps({"kind": "city", "chapter": "Beijing"}).encode(), ADMIN)
        self.assertEqual((again[0], again[1]["moved"]), (200, False))
        self.assertEqual(self.server.json("POST", f"/api/people/{li}/memberships", b'{"kind": "city", "chapter": "X"}', JSON)[0], 401)
        status, body = self.server.json("POST", "/api/people/MSG-000099/memberships", b'{"kind": "city", "chapter": "X"}', ADMIN)
        self.assertEqual((status, body["error"]), (404, "unknown_person"))


    def test_readers_of_one_season_state_share_one_computation_and_a_merge_makes_a_new_one(self):
        li = self.join("李雷", "li-lei", "Shanghai")
        _, t0 = self.joined_at(li)
        self.merge("octo-org/spring", 1, "li-lei", iso(t0 - 5))
        # The level watch logs his first merge's level within a second: wait for it, it moves the state too.
        deadline = time.time() + 10
        while "level_up" not in self.redis.cli("XRANGE", "lb:{spring}:log", "-", "+") and time.time() < deadline:
            time.sleep(0.1)

        def counter(name):
            text = self.server.request("GET", "/metrics")[2]
            return int(re.search(rf"^{name} (\d+)$", text, re.M).group(1))

        # Eight readers at once: one computation, the others take its page, either while it runs
        # (shared) or once kept (cached). Caching alone would pass that, so the bursts go on, each
        # for a page of another size (a page not computed yet), until one shows a reader joining a
        # running computation.
        joined = []
        for burst in range(8):
            board = "people" if burst == 0 else f"people&limit={40 + burst}"
            computed, cached, shared = (counter(f"lb_season_pages_{n}_total") for n in ("computed", "cached", "shared"))
            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                pages = list(pool.map(lambda _: self.board(board), range(8)))
            self.assertEqual({json.dumps(p, sort_keys=True) for p in pages}, {json.dumps(pages[0], sort_keys=True)})
            self.assertEqual(pages[0]["rows"][0]["points"], 20)
            self.assertEqual(counter("lb_season_pages_computed_total"), computed + 1)   # eight readers, one computation
            took = counter("lb_season_pages_shared_total") - shared
            self.assertEqual(took + counter("lb_season_pages_cached_total") - cached, 7)
            joined.append(took)
            if took:
                break
        self.assertTrue(any(joined), f"no reader joined a running computation in {len(joined)} bursts: {joined}")
        computed = counter("lb_season_pages_computed_total")
        cached = counter("lb_season_pages_cached_total")
        self.assertEqual(self.board("people")["rows"][0]["points"], 20)
        self.assertEqual(counter("lb_season_pages_cached_total"), cached + 1)       # nothing changed: the kept page
        self.assertEqual(counter("lb_season_pages_computed_total"), computed)
        # A merge in one of its contests: the next read is computed again, and shows it.
        while test_now() < t0 + 2.2:   # the merge below lies in the past when it is delivered
            time.sleep(0.1)
        self.merge("octo-org/spring", 2, "li-lei", iso(t0 + 2))
        self.assertEqual(self.board("people")["rows"][0]["points"], 40)
        self.assertEqual(counter("lb_season_pages_computed_total"), computed + 1)
        # A move told late changes the chapter boards without a new award: it is part of the state too.
        self.assertEqual({r["id"]: r["points"] for r in self.board("chapters:city")["rows"]}, {"Shanghai": 40})
        status, moved = self.server.json("POST", f"/api/people/{li}/memberships",
                                         json.dumps({"kind": "city", "chapter": "Beijing", "since": iso(t0 + 1)}).encode(), ADMIN)
        self.assertEqual(status, 200, moved)
        self.assertEqual({r["id"]: r["points"] for r in self.board("chapters:city")["rows"]}, {"Shanghai": 20, "Beijing": 20})


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
            status, body = server.json("GET", "/api/contests/week/operations", None, {"Authorization": "Bearer " + TOKEN})
            self.assertEqual((status, body["error"]), (404, "community_closed"))
        finally:
            server.stop()
            redis.stop()


if __name__ == "__main__":
    unittest.main()


def camp_config():
    """A running contest with two city teams; Li Lei is on Shanghai's in its roster."""
    now = test_now()
    return {"admin_token_env": "LB_ADMIN_TOKEN", "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"}},
            "community": {"id_prefix": "MSG-", "id_width": 6},
            "contests": [{"id": "camp", "title": "Camp", "starts_at": iso(now - 86400), "ends_at": iso(now + 30 * 86400),
                          "repos": ["github:octo-org/camp"],
                          "teams": [{"id": "sh", "name": {"en": "Shanghai", "zh": "上海"}, "kind": "city"},
                                    {"id": "bj", "name": {"en": "Beijing", "zh": "北京"}, "kind": "city"}],
                          "participants": [{"id": "li", "name": "Li Lei", "github": "li-lei", "teams": ["sh"]}],
                          "rules": {"pull_requests": {"base_points": 10}}}]}


class ContestTeamsFollowMoves(MembersWhoMerge, unittest.TestCase):
    config = staticmethod(camp_config)

    def cities(self):
        status, page = self.server.json("GET", "/api/contests/camp/standings?board=teams:city", None, ADMIN)
        self.assertEqual(status, 200, page)
        return {r["id"]: r["points"] for r in page["rows"]}

    def move(self, person, chapter, since):
        status, moved = self.server.json("POST", f"/api/people/{person}/memberships",
                                         json.dumps({"kind": "city", "chapter": chapter, "since": iso(since)}).encode(), ADMIN)
        self.assertEqual((status, moved["moved"]), (200, True), moved)
        return moved

    def test_points_after_a_move_land_on_the_new_chapters_team_and_those_before_stay(self):
        li = self.join("李雷", "li-lei", "上海")
        _, t0 = self.joined_at(li)
        while test_now() < t0 + 4.2:   # every merge below lies in the past when it is delivered
            time.sleep(0.1)
        self.merge("octo-org/camp", 1, "li-lei", iso(t0 + 1))
        self.merge("octo-org/camp", 2, "li-lei", iso(t0 + 3))
        self.assertEqual(self.cities(), {"sh": 20})
        # Moved to Beijing from t0 + 2 (told late): the PR merged after that goes to Beijing's team now.
        moved = self.move(li, "北京", t0 + 2)
        self.assertEqual(moved["awards_moved"], 1)
        self.assertEqual(self.cities(), {"sh": 10, "bj": 10})
        self.merge("octo-org/camp", 3, "li-lei", iso(test_now()))
        self.assertEqual(self.cities(), {"sh": 10, "bj": 20})
        status, teams = self.server.json("GET", "/api/contests/camp/standings?board=teams", None, ADMIN)
        self.assertEqual({r["id"]: r["points"] for r in teams["rows"]}, {"sh": 10, "bj": 20})
        status, people = self.server.json("GET", "/api/contests/camp/standings?board=participants", None, ADMIN)
        self.assertEqual(people["rows"][0]["teams"], {"city": "bj"})   # the row shows the team he is on now
        # To a city the contest has no team of, from t0 + 4: the last PR counts for no city; the
        # participant board keeps every point.
        self.move(li, "Hangzhou", t0 + 4)
        self.assertEqual(self.cities(), {"sh": 10, "bj": 10})
        status, people = self.server.json("GET", "/api/contests/camp/standings?board=participants", None, ADMIN)
        self.assertEqual([(r["id"], r["points"], r["teams"]) for r in people["rows"]], [("li", 30, {})])
        # A recompute re-derives the same placements from the ledger.
        status, body = self.server.json("POST", "/api/contests/camp/recompute", b"", ADMIN)
        self.assertEqual(status, 200, body)
        self.assertEqual(self.cities(), {"sh": 10, "bj": 10})
