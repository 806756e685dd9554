"""A public vote over HTTP against the real binary, its voters signed in with a stand-in of
GitHub's OAuth: participants hand in entries until the vote opens; signed-in members cast one
ballot each (replaceable, never for themselves, within k); tallies stay hidden until the close;
organizers see the fraud signals and void a ballot with a reason (audited, re-tallied); the
close turns the tally into points on the component's board and the weighted total, which a
recompute derives again from the ledger. The window moves by config reloads, as an organizer
would move it, so nothing waits on the clock."""
import json
import time
import unittest

from harness import Server, iso, redis_cli, redis_url, write_config
from oauth_standin import OAuthStandIn
from test_sign_in import Browser

DB = 100
ADMIN_TOKEN = "votes-admin"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"}
VOTE = "/api/contests/camp/votes/notes"


def config(standin, opens, closes):
    return {
        "admin_token_env": "LB_ADMIN_TOKEN",
        "server": {"trusted_proxies": ["127.0.0.1"]},
        "community": {"id_prefix": "VOTE-", "approval": "unless_proven", "sign_in": {"github": standin.app_config("github")}},
        "contests": [{
            "id": "camp", "title": {"en": "Camp", "zh": "训练营"}, "starts_at": iso(-3), "ends_at": iso(10), "repos": [],
            "teams": [{"id": "sh", "name": {"en": "Shanghai", "zh": "上海"}, "kind": "city"}],
            "participants": [{"id": pid, "name": name, "github": f"{pid}-gh", "teams": ["sh"]}
                             for pid, name in (("ann", "Ann"), ("bo", "薄一"), ("cy", "Cy"))],
            "rules": {"components": [
                {"id": "homework", "weight": 0.5, "max": 100},
                {"id": "notes", "kind": "votes", "name": {"en": "Learning notes", "zh": "学习笔记"}, "weight": 0.5, "max": 100,
                 "vote": {"opens_at": opens, "closes_at": closes, "k": 2}}]}}]}


class PublicVote(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        redis_cli(DB, "FLUSHDB")
        cls.standin = OAuthStandIn()
        env = {"LB_ADMIN_TOKEN": ADMIN_TOKEN, **OAuthStandIn.secrets_env()}
        cls.server = Server(write_config(config(cls.standin, iso(1), iso(2))), redis_url(DB), env)
        cls.server.wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.standin.stop()

    def move_window(self, opens, closes):
        with open(self.server.config_path, "w", encoding="utf-8") as handle:
            json.dump(config(self.standin, opens, closes), handle)
        status, answer = self.server.json("POST", "/api/config/reload", b"", ADMIN)
        self.assertEqual(status, 200, answer)

    def member(self, login, address):
        """A visitor who signs in with GitHub as `login` and joins the community (approved at once: proven)."""
        self.standin.users["github"] = {"id": abs(hash(login)) % 10**9, "login": login}
        browser = Browser(self.server, address)
        browser.sign_in("github")
        status, joined = browser.json("POST", "/api/community/sign-ups", {"name": login.title(), "city": "Shanghai"})
        assert status == 201 and joined["state"] == "approved", joined
        browser.person = joined["community_id"]
        return browser

    def board(self, board):
        return {r["id"]: r["points"] for r in self.server.json("GET", f"/api/contests/camp/standings?board={board}")[1]["rows"]}

    def entry(self, pid, body):
        _, token = self.server.json("POST", f"/api/contests/camp/participants/{pid}/tokens", b"{}", ADMIN)
        headers = {"Authorization": f"Bearer {token['token']}", "Content-Type": "application/json"}
        return self.server.json("POST", f"{VOTE}/entries", json.dumps(body).encode(), headers)

    def wait_for_points(self, expected):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            seen = self.board("component:notes")
            if seen == expected:
                return
            time.sleep(0.1)
        self.assertEqual(seen, expected)

    def test_a_vote_from_entries_to_points(self):
        # Entries, before the vote opens: replaced freely, malformed ones refused by field.
        self.assertEqual(self.entry("ann", {"url": "https://example.org/ann-draft", "title": "草稿"})[0], 201)
        status, ann = self.entry("ann", {"url": "https://b23.tv/ann-notes", "title": "我的 21 天"})
        self.assertEqual((status, ann["url"], ann["name"]), (201, "https://b23.tv/ann-notes", "Ann"), ann)
        for pid in ("bo", "cy"):
            self.assertEqual(self.entry(pid, {"url": f"https://example.org/{pid}", "title": f"{pid} notes"})[0], 201)
        status, bad = self.entry("bo", {"url": "javascript:alert(1)", "title": "x"})
        self.assertEqual((status, bad["error"]), (400, "bad_field"), bad)
        self.assertTrue(bad["message"].startswith("url:"), bad)
        status, shown = self.server.json("GET", VOTE)
        self.assertEqual((status, shown["state"], shown["voted"], len(shown["entries"])), (200, "upcoming", 0, 3), shown)
        self.assertNotIn("tallies", shown)
        self.assertEqual(self.server.json("GET", "/api/contests/camp/votes/homework")[0], 404)  # a judged component is no vote

        # Five members; the first is Ann herself (her GitHub login is a participant's).
        ann_voter = self.member("ann-gh", "10.9.0.1")
        voters = [self.member(f"voter{n}", f"10.9.0.{n + 1}") for n in range(1, 4)]
        twin = self.member("voter-twin", "10.9.0.4")  # from the same address as the last one
        status, early = voters[0].json("PUT", f"{VOTE}/ballot", {"entries": ["bo"]})
        self.assertEqual((status, early["error"]), (409, "not_open"), early)

        self.move_window(iso(-0.01), iso(1))
        status, late = self.entry("cy", {"url": "https://example.org/cy-v2", "title": "too late"})
        self.assertEqual((status, late["error"]), (409, "vote_open"), late)
        status, own = ann_voter.json("PUT", f"{VOTE}/ballot", {"entries": ["ann"]})
        self.assertEqual((status, own["error"]), (403, "own_entry"), own)
        self.assertEqual(ann_voter.json("PUT", f"{VOTE}/ballot", {"entries": ["bo"]})[0], 200)
        self.assertEqual(voters[0].json("PUT", f"{VOTE}/ballot", {"entries": ["cy"]})[0], 200)
        self.assertEqual(voters[1].json("PUT", f"{VOTE}/ballot", {"entries": ["cy"]})[0], 200)
        status, replaced = voters[1].json("PUT", f"{VOTE}/ballot", {"entries": ["bo"]})  # changed their mind
        self.assertEqual((status, replaced["entries"]), (200, ["bo"]), replaced)
        self.assertEqual(voters[2].json("PUT", f"{VOTE}/ballot", {"entries": ["bo", "cy"]})[0], 200)
        self.assertEqual(twin.json("PUT", f"{VOTE}/ballot", {"entries": ["cy", "bo"]})[0], 200)
        for body, field in (({"entries": ["bo", "cy", "ann"]}, "entries"), ({"entries": ["nobody"]}, "entries[0]"),
                            ({"entries": ["bo", "bo"]}, "entries[1]"), ({}, "entries")):
            status, refused = voters[0].json("PUT", f"{VOTE}/ballot", body)
            self.assertEqual((status, refused["error"]), (400, "bad_field"), refused)
            self.assertTrue(refused["message"].startswith(field + ":"), refused)
        # Who may not vote: nobody signed in, a signed-in visitor who never joined, another site's page.
        stranger = Browser(self.server, "10.9.1.1")
        self.assertEqual(stranger.json("PUT", f"{VOTE}/ballot", {"entries": ["bo"]})[0], 401)
        self.standin.users["github"] = {"id": 5150, "login": "not-a-member"}
        stranger.sign_in("github")
        status, refused = stranger.json("PUT", f"{VOTE}/ballot", {"entries": ["bo"]})
        self.assertEqual((status, refused["error"]), (403, "not_a_member"), refused)
        status, refused = voters[0].json("PUT", f"{VOTE}/ballot", {"entries": ["cy"]}, origin=False)
        self.assertEqual((status, refused["error"]), (403, "cross_site"), refused)

        # While open: how many voted, the visitor's own ballot, and no tallies anywhere.
        status, shown = voters[1].json("GET", VOTE)
        self.assertEqual((shown["state"], shown["voted"], shown["you"]["ballot"]), ("open", 5, ["bo"]), shown)
        self.assertNotIn("tallies", shown)
        self.assertEqual(ann_voter.json("GET", VOTE)[1]["you"]["own_entry"], "ann")
        time.sleep(1.5)  # the tally pass runs every second: it must leave an open vote alone
        self.assertEqual(self.board("component:notes"), {})

        # The organizers' view: the twin ballots from one address, cast within seconds.
        status, listing = self.server.json("GET", f"{VOTE}/ballots", None, ADMIN)
        self.assertEqual((status, listing["counted"], len(listing["ballots"])), (200, 5, 5), listing)
        by_voter = {b["voter"]: b for b in listing["ballots"]}
        self.assertEqual({by_voter[v.person]["same_client"] for v in (voters[2], twin)}, {2})
        self.assertTrue(by_voter[twin.person]["burst"] and by_voter[voters[2].person]["burst"], listing)
        self.assertFalse(by_voter[voters[0].person]["burst"])  # the only ballot for cy alone
        # The window was moved to open before they joined: each is marked, as a late joiner would be.
        self.assertTrue(all(b["joined_after_open"] for b in listing["ballots"]), listing)
        # Voided with a reason: audited, listed, and the voter cannot cast again.
        self.assertEqual(self.server.json("POST", f"{VOTE}/ballots/{twin.person}/void", b"{}", ADMIN)[0], 400)  # a reason is required
        status, voided = self.server.json("POST", f"{VOTE}/ballots/{twin.person}/void", json.dumps({"reason": "same device as voter3"}).encode(),
                                          {**ADMIN, "Idempotency-Key": "void-twin"})
        self.assertEqual((status, voided["voided"], voided["already"]), (200, True, False), voided)
        again = self.server.json("POST", f"{VOTE}/ballots/{twin.person}/void", json.dumps({"reason": "same device as voter3"}).encode(),
                                 {**ADMIN, "Idempotency-Key": "void-twin"})
        self.assertEqual(again, (200, voided))
        self.assertEqual(self.server.json("POST", f"{VOTE}/ballots/VOTE-999/void", json.dumps({"reason": "x"}).encode(), ADMIN)[0], 404)
        status, refused = twin.json("PUT", f"{VOTE}/ballot", {"entries": ["bo"]})
        self.assertEqual((status, refused["error"]), (409, "ballot_voided"), refused)
        self.assertIn("void_ballot", redis_cli(DB, "XRANGE", "lb:{camp}:audit", "-", "+"))
        self.assertEqual(self.server.json("GET", f"{VOTE}/ballots", None, ADMIN)[1]["counted"], 4)

        # Closed: the tally becomes points (bo: Ann, voter2, voter3 = the most; cy: voter1, voter3 = 2 of 3),
        # then shown to everyone.
        self.move_window(iso(-0.02), iso(-0.01))
        self.wait_for_points({"bo": 100, "cy": 66.67})  # no votes, no row: Ann's award is 0
        self.assertEqual(self.board("participants"), {"bo": 50, "cy": 33.34})
        status, shown = self.server.json("GET", VOTE)
        self.assertEqual(shown["state"], "closed")
        self.assertEqual([(t["participant"], t["votes"], t["points"]) for t in shown["tallies"]], [("bo", 3, 100), ("cy", 2, 66.67), ("ann", 0, 0)])
        status, refused = voters[0].json("PUT", f"{VOTE}/ballot", {"entries": ["cy"]})
        self.assertEqual((status, refused["error"]), (409, "vote_closed"), refused)
        # A void after the close re-tallies at once: Ann's ballot (bo) goes, and cy ties bo for the most.
        status, voided = self.server.json("POST", f"{VOTE}/ballots/{ann_voter.person}/void", json.dumps({"reason": "asked by her"}).encode(), ADMIN)
        self.assertEqual(status, 200, voided)
        self.assertEqual(self.board("component:notes"), {"bo": 100, "cy": 100})
        # The points are awards like any other: a recompute derives the same boards from the ledger.
        status, answer = self.server.json("POST", "/api/contests/camp/recompute", b"", ADMIN)
        self.assertEqual(status, 200, answer)
        self.assertEqual(self.board("component:notes"), {"bo": 100, "cy": 100})
        self.assertEqual(self.board("participants"), {"bo": 50, "cy": 50})


if __name__ == "__main__":
    unittest.main()
