"""Black-box tests of the organizers' controls: imports, disqualification, judged components,
reproductions with first bonuses, freeze and recompute. The real binary, a real Redis."""
import json
import time
import unittest

from harness import Server, cli, iso, redis_cli, redis_url, write_config
from payloads import github_delivery, github_pr

TOKEN = "organizer-token-77"
ADMIN = {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}
SECRET = "organizer-hook-secret"
JUDGE_TOKEN = "judge-li-token-31"
JUDGE = {"Authorization": "Bearer " + JUDGE_TOKEN, "Content-Type": "application/json"}
ENV = {"LB_ADMIN_TOKEN": TOKEN, "LB_GITHUB_SECRET": SECRET, "LB_JUDGE_LI": JUDGE_TOKEN}


def config_document():
    teams = [{"id": "beijing", "name": {"en": "Beijing", "zh": "北京"}, "kind": "city"},
             {"id": "shanghai", "name": {"en": "Shanghai", "zh": "上海"}, "kind": "city"},
             {"id": "pku", "name": "北京大学", "kind": "school"}]
    people = [{"id": "ann", "name": "Ann", "github": "ann", "teams": ["beijing", "pku"]},
              {"id": "ben", "name": "Ben", "github": "ben", "teams": ["shanghai"]},
              {"id": "cai", "name": "Cai", "github": "cai", "teams": ["beijing"]},
              {"id": "kim", "name": "Kim", "github": "kim-gh", "teams": []}]
    return {
        "admin_token_env": "LB_ADMIN_TOKEN",
        "judges": [{"id": "judge-li", "name": "Li", "token_env": "LB_JUDGE_LI"}],
        "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"}},
        "contests": [
            {"id": "repro", "title": "Reproductions", "starts_at": iso(-1), "ends_at": iso(30),
             "repos": ["github:org/models"], "teams": teams, "participants": people,
             "rules": {"reproductions": {"auto_accept_pull_requests": True, "models": [
                 {"id": "resnet50", "name": "ResNet-50", "points": 100, "metric": "top1", "target": 0.76,
                  "tolerance": 0.01, "first_bonus": 50},
                 {"id": "bert", "name": "BERT", "points": 120, "metric": "top1", "target": 0.885,
                  "tolerance": 0.005, "first_bonus": 60},
                 {"id": "vit", "name": "ViT", "points": 90, "metric": "top1", "target": 0.81, "first_bonus": 10}]}}},
            {"id": "camp", "title": "Training camp", "starts_at": iso(-1), "ends_at": iso(30),
             "repos": ["github:org/camp"], "teams": teams, "participants": people,
             "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10}},
                       "components": [{"id": "homework", "weight": 0.3, "max": 100},
                                      {"id": "advanced", "weight": 0.5, "max": 100}]}}]}


class Organizers(unittest.TestCase):
    DB = 45

    @classmethod
    def setUpClass(cls):
        redis_cli(cls.DB, "FLUSHDB")
        cls.config = write_config(config_document())
        cls.server = Server(cls.config, redis_url(cls.DB), ENV)
        cls.server.wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    # helpers
    def call(self, method, path, body=None, headers=None, raw=None):
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        return self.server.json(method, path, data, headers if headers is not None else ADMIN)

    def board(self, contest, board="participants", admin=False):
        status, body = self.server.json("GET", f"/api/contests/{contest}/standings?board={board}",
                                        headers=ADMIN if admin else {})
        self.assertEqual(status, 200, body)
        return {row["id"]: row["points"] for row in body["rows"]}

    def pick(self, contest, *ids):
        return {k: v for k, v in self.board(contest).items() if k in ids}

    def ledger_size(self, contest):
        return int(redis_cli(self.DB, "HLEN", f"lb:{{{contest}}}:ledger"))

    def audit_actions(self, contest):
        status, body = self.call("GET", f"/api/contests/{contest}/audit?limit=1000")
        self.assertEqual(status, 200)
        return [entry["action"] for entry in body["entries"]]

    def token_for(self, contest, pid):
        status, body = self.call("POST", f"/api/contests/{contest}/participants/{pid}/tokens", {})
        self.assertEqual(status, 201, body)
        self.assertTrue(body["token"].startswith("lbt_"))
        return body["token"]

    def submit(self, contest, token, top1, model="resnet50"):
        return self.call("POST", f"/api/contests/{contest}/submissions",
                         {"model": model, "metrics": {"top1": top1}, "evidence_url": "https://example.org/run/1"},
                         {"Authorization": "Bearer " + token, "Content-Type": "application/json"})

    def verdict(self, contest, sid, accepted, measured=None, reason="checked"):
        body = {"accepted": accepted, "reason": reason}
        if measured is not None:
            body["measured"] = measured
        return self.call("POST", f"/api/contests/{contest}/submissions/{sid}/verdict", body, JUDGE)

    # reproductions
    def test_later_verdict_for_earlier_submission_takes_the_bonus(self):
        ann, ben = self.token_for("repro", "ann"), self.token_for("repro", "ben")
        status, first = self.submit("repro", ann, 0.761)
        self.assertEqual(status, 201, first)
        status, second = self.submit("repro", ben, 0.759)
        self.assertEqual(status, 201, second)

        status, body = self.verdict("repro", second["id"], True, 0.758)
        self.assertEqual(status, 200, body)
        self.assertTrue(body["qualifies"])
        self.assertEqual(self.pick("repro", "ann", "ben"), {"ben": 150})  # points and, for now, the bonus

        status, body = self.verdict("repro", first["id"], True, 0.762)
        self.assertEqual(status, 200, body)
        self.assertEqual(self.pick("repro", "ann", "ben"), {"ann": 150, "ben": 100})  # the bonus moved to the earlier one
        status, detail = self.server.json("GET", "/api/contests/repro/participants/ann")
        kinds = sorted(a["kind"] for a in detail["awards"])
        self.assertEqual(kinds, ["first_bonus", "reproduction"])

        # Rejecting the earlier one on review gives the bonus back.
        status, body = self.verdict("repro", first["id"], False, reason="weights were copied")
        self.assertEqual(status, 200, body)
        self.assertEqual(self.pick("repro", "ann", "ben"), {"ben": 150})
        self.assertIn("verdict", self.audit_actions("repro"))
        # put ann back for the other tests of this contest
        self.verdict("repro", first["id"], True, 0.762)

    def test_tokens_from_the_command_line(self):
        done = cli("tokens", "issue", "--config", self.config, "--contest", "repro", "--participant", "ben",
                   "--redis", redis_url(self.DB))
        self.assertEqual(done.returncode, 0, done.stderr)
        token = done.stdout.strip()
        self.assertTrue(token.startswith("lbt_"))
        self.assertNotIn(token, redis_cli(self.DB, "HGETALL", "lb:{repro}:tokens"))  # only the digest is kept
        status, body = self.submit("repro", token, 0.75)
        self.assertEqual(status, 201, body)
        self.assertEqual(body["participant"], "ben")
        done = cli("tokens", "issue", "--config", self.config, "--contest", "repro", "--participant", "nobody",
                   "--redis", redis_url(self.DB))
        self.assertEqual(done.returncode, 2)

    def test_out_of_tolerance_earns_nothing(self):
        cai = self.token_for("repro", "cai")
        status, sub = self.submit("repro", cai, 0.70)
        self.assertEqual(status, 201)
        status, body = self.verdict("repro", sub["id"], True, 0.70)  # accepted by the judge, but 0.06 off the target
        self.assertEqual(status, 200, body)
        self.assertFalse(body["qualifies"])
        self.assertNotIn("cai", self.board("repro"))

    def test_bad_tokens_and_bodies_change_nothing(self):
        before = redis_cli(self.DB, "HLEN", "lb:{repro}:submissions")
        sequence = redis_cli(self.DB, "GET", "lb:{repro}:submission_seq")
        status, body = self.call("POST", "/api/contests/repro/submissions", {"model": "resnet50"}, {"Content-Type": "application/json"})
        self.assertEqual(status, 401)
        status, body = self.submit("repro", "lbt_not-a-real-token", 0.76)
        self.assertEqual(status, 401)
        self.assertEqual(body["error"], "unauthorized")
        status, body = self.submit("repro", TOKEN, 0.76)  # the admin token is not a participant's token
        self.assertEqual(status, 401)
        token = self.token_for("repro", "cai")
        status, body = self.submit("repro", token, 0.76, model="gpt-5")
        self.assertEqual((status, body["error"]), (400, "bad_field"))
        self.assertIn("model", body["message"])
        self.assertEqual(redis_cli(self.DB, "HLEN", "lb:{repro}:submissions"), before)
        self.assertEqual(redis_cli(self.DB, "GET", "lb:{repro}:submission_seq"), sequence)  # refused: no number drawn
        # admin routes: missing or wrong admin token
        for headers in ({"Content-Type": "application/json"}, {"Authorization": "Bearer " + token, "Content-Type": "application/json"}):
            status, body = self.call("POST", "/api/contests/repro/submissions/s1/verdict", {"accepted": False, "reason": "x"}, headers)
            self.assertEqual(status, 401)
            status, _ = self.call("PUT", "/api/contests/camp/components/homework", {"ann": 100}, headers)
            self.assertEqual(status, 401)
            status, _ = self.call("POST", "/api/contests/camp/freeze", {}, headers)
            self.assertEqual(status, 401)
        status, body = self.verdict("repro", "s999", True, 0.76)
        self.assertEqual(status, 404)
        status, body = self.call("POST", "/api/contests/repro/submissions/s1/verdict", {"accepted": True})
        self.assertEqual(status, 400)
        self.assertIn("measured", body["message"])

    def test_a_labelled_pull_request_is_a_submission(self):
        payload = github_pr(number=77, author="kim-gh", labels=("Reproduce/ViT",), repo="org/models", merged_at=iso(0))
        for _ in range(2):  # a redelivery (new delivery id) makes no second submission
            body, headers = github_delivery(SECRET, payload)
            status, _, text = self.server.request("POST", "/hooks/github", body, headers)
            self.assertEqual(status, 200, text)
        self.assertEqual(json.loads(text)["contests"][0]["submission"], "pr:github:org/models#77")
        self.assertEqual(self.board("repro", "component:reproductions")["kim"], 100)  # auto-accepted: 90 and the first bonus
        _, listing = self.call("GET", "/api/contests/repro/submissions")
        mine = [s for s in listing["submissions"] if s["participant"] == "kim"]
        self.assertEqual(len(mine), 1)
        self.assertTrue(mine[0]["auto_accepted"])

    # judged components
    def test_component_scores_dry_run_shows_changes_and_writes_nothing(self):
        before = self.board("camp", "component:advanced")  # read before the dry run, so a write would show
        self.assertNotEqual(before.get("ben"), 70, "the dry run asks for a change")
        status, body = self.call("PUT", "/api/contests/camp/components/advanced?dry_run=1", {"ben": 70}, JUDGE)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["changes"], [{"participant": "ben", "before": before.get("ben"), "after": 70}])
        self.assertEqual(self.board("camp", "component:advanced"), before)
        status, body = self.call("PUT", "/api/contests/camp/components/advanced?dry_run=1", {"ben": 170}, JUDGE)
        self.assertEqual((status, body["error"]), (400, "invalid_rows"))

    def test_component_weights_and_whole_file_validation(self):
        status, body = self.call("PUT", "/api/contests/camp/components/homework?reason=week+1",
                                 {"ann": 80, "ben": 100}, JUDGE)
        self.assertEqual(status, 200, body)
        csv = "participant,points\r\nann,90\r\ncai,40.5\r\n"
        status, body = self.call("PUT", "/api/contests/camp/components/advanced", raw=csv,
                                 headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "text/csv"})
        self.assertEqual(status, 200, body)
        totals = self.board("camp")
        self.assertEqual(totals["ann"], 69)      # 0.3 * 80 + 0.5 * 90
        self.assertEqual(totals["ben"], 30)      # 0.3 * 100
        self.assertEqual(totals["cai"], 20.25)   # 0.5 * 40.5
        self.assertEqual(self.board("camp", "component:advanced"), {"ann": 90, "cai": 40.5})

        ledger = self.ledger_size("camp")
        bad = "participant,points\nann,10\nzed,20\nben,101\nben,abc\n"
        status, body = self.call("PUT", "/api/contests/camp/components/advanced", raw=bad,
                                 headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "text/csv"})
        self.assertEqual(status, 400, body)
        problems = "\n".join(body["problems"])
        self.assertIn("line 3: unknown participant \"zed\"", problems)
        self.assertIn("line 4: points: must lie between 0 and the component's max 100", problems)
        self.assertIn("line 5", problems)
        self.assertEqual(self.board("camp", "component:advanced"), {"ann": 90, "cai": 40.5})  # ann's 10 not applied
        self.assertEqual(self.ledger_size("camp"), ledger)
        status, body = self.call("PUT", "/api/contests/camp/components/video", {"ann": 1})
        self.assertEqual(status, 404)
        self.assertIn("component_scores", self.audit_actions("camp"))

    # roster
    def test_import_csv_with_a_bad_row_changes_nothing(self):
        csv = 'id,name,github,teams\ndan,Dan,dan,shanghai\neve,"Eve, Jr.",ann,beijing\nfay,Fay,fay,mars\n'
        status, body = self.call("PUT", "/api/contests/camp/participants", raw=csv,
                                 headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "text/csv"})
        self.assertEqual(status, 400, body)
        problems = "\n".join(body["problems"])
        self.assertIn('line 3.github: login "ann" belongs to another participant', problems)
        self.assertIn('line 4.teams[0]: unknown team "mars"', problems)
        status, contest = self.server.json("GET", "/api/contests/camp")
        self.assertNotIn("dan", [p["id"] for p in contest["participants"]])

    def test_import_registers_newcomers_and_moves_points_between_teams(self):
        # A PR by a not yet registered author is kept...
        body, headers = github_delivery(SECRET, github_pr(number=41, author="gus", labels=("bug",), repo="org/camp",
                                                          merged_at=iso(0)))
        status, _, text = self.server.request("POST", "/hooks/github", body, headers)
        self.assertEqual(status, 200, text)
        self.assertNotIn("gus", self.board("camp"))
        # ...and scores once an import registers him, in a team imported in the same breath.
        status, body = self.call("PUT", "/api/contests/camp/teams",
                                 [{"id": "zju", "name": {"en": "ZJU", "zh": "浙江大学"}, "kind": "school"}])
        self.assertEqual(status, 200, body)
        status, body = self.call("PUT", "/api/contests/camp/participants?reason=late+registration",
                                 [{"id": "gus", "name": "Gus", "github": "gus", "teams": ["zju", "shanghai"]}])
        self.assertEqual(status, 200, body)
        self.assertEqual(body["created"], 1)
        self.assertEqual(self.board("camp")["gus"], 11)
        self.assertEqual(self.board("camp", "teams:school").get("zju"), 11)
        shanghai_before = self.board("camp", "teams:city").get("shanghai", 0)
        # Moving him to Beijing moves his points with him.
        status, body = self.call("PUT", "/api/contests/camp/participants",
                                 [{"id": "gus", "name": "Gus", "github": "gus", "teams": ["zju", "beijing"]}])
        self.assertEqual(status, 200, body)
        self.assertEqual(body["updated"], 1)
        cities = self.board("camp", "teams:city")
        self.assertEqual(cities.get("shanghai", 0), shanghai_before - 11)
        actions = self.audit_actions("camp")
        self.assertIn("import_teams", actions)
        self.assertIn("import_participants", actions)

    def test_another_process_sees_imports(self):
        gateway = Server(self.config, redis_url(self.DB), ENV, role="gateway")
        try:
            gateway.wait_ready()
            status, body = self.call("PUT", "/api/contests/repro/participants", [{"id": "hal", "name": "Hal 九千", "teams": []}])
            self.assertEqual(status, 200, body)
            deadline = time.time() + 5
            while time.time() < deadline:
                status, body = gateway.json("GET", "/api/contests/repro/participants/hal")
                if status == 200:
                    break
                time.sleep(0.1)
            self.assertEqual(status, 200)
            self.assertEqual(body["name"], "Hal 九千")
        finally:
            gateway.stop()

    def test_disqualified_participant_vanishes_and_returns_unchanged(self):
        self.call("PUT", "/api/contests/camp/components/homework", {"cai": 50})
        boards = ["participants", "teams", "teams:city", "component:homework"]
        before = {b: self.board("camp", b) for b in boards}
        self.assertIn("cai", before["participants"])
        status, body = self.call("POST", "/api/contests/camp/participants/cai/disqualify", {"reason": "plagiarism"})
        self.assertEqual(status, 200, body)
        after = {b: self.board("camp", b) for b in boards}
        self.assertNotIn("cai", after["participants"])
        self.assertNotIn("cai", after["component:homework"])
        self.assertLess(after["teams:city"].get("beijing", 0), before["teams:city"]["beijing"])
        status, body = self.call("POST", "/api/contests/camp/participants/cai/disqualify", {})
        self.assertEqual(status, 400)  # a reason is required
        status, body = self.call("POST", "/api/contests/camp/participants/cai/reinstate", {"reason": "appeal upheld"})
        self.assertEqual(status, 200, body)
        self.assertEqual({b: self.board("camp", b) for b in boards}, before)
        status, body = self.server.json("GET", "/api/contests/camp/standings?board=participants")
        cai = next(r for r in body["rows"] if r["id"] == "cai")
        self.assertTrue(cai["reached_at"])
        actions = self.audit_actions("camp")
        self.assertIn("disqualify", actions)
        self.assertIn("reinstate", actions)

    def test_disqualified_participant_loses_the_first_bonus(self):
        status, _ = self.call("PUT", "/api/contests/repro/participants",
                              [{"id": "ivy", "name": "Ivy", "teams": []}, {"id": "jon", "name": "Jon", "teams": []}])
        self.assertEqual(status, 200)
        t_ivy, t_jon = self.token_for("repro", "ivy"), self.token_for("repro", "jon")
        _, s_ivy = self.submit("repro", t_ivy, 0.88, model="bert")
        _, s_jon = self.submit("repro", t_jon, 0.88, model="bert")
        self.verdict("repro", s_jon["id"], True, 0.885)
        self.verdict("repro", s_ivy["id"], True, 0.884)
        component = self.board("repro", "component:reproductions")
        self.assertEqual((component["ivy"], component["jon"]), (180, 120))
        status, body = self.call("POST", "/api/contests/repro/participants/ivy/disqualify", {"reason": "rules"})
        self.assertEqual(status, 200, body)
        component = self.board("repro", "component:reproductions")
        self.assertNotIn("ivy", component)
        self.assertEqual(component["jon"], 180)  # the bonus passed to the next earliest
        status, body = self.submit("repro", t_ivy, 0.88, model="bert")
        self.assertEqual(status, 403)  # disqualified participants cannot submit
        self.call("POST", "/api/contests/repro/participants/ivy/reinstate", {"reason": "cleared"})
        component = self.board("repro", "component:reproductions")
        self.assertEqual((component["ivy"], component["jon"]), (180, 120))

    # freeze
    def test_freeze_and_unfreeze(self):
        status, body = self.call("POST", "/api/contests/camp/freeze", {"reason": "last hour"})
        self.assertEqual((status, body["outcome"]), (200, "applied"))
        status, again = self.call("POST", "/api/contests/camp/freeze", {})
        self.assertEqual(again["outcome"], "unchanged")
        public_before = self.board("camp")
        self.call("PUT", "/api/contests/camp/components/advanced", {"ben": 100})
        _, page = self.server.json("GET", "/api/contests/camp/standings")
        self.assertTrue(page["frozen"])
        self.assertEqual(self.board("camp"), public_before)       # the public board stands still
        self.assertEqual(self.board("camp", admin=True)["ben"], public_before["ben"] + 50)  # admins see live
        status, body = self.call("POST", "/api/contests/camp/unfreeze", {"reason": "ceremony"})
        self.assertEqual((status, body["outcome"]), (200, "applied"))
        _, page = self.server.json("GET", "/api/contests/camp/standings")
        self.assertFalse(page["frozen"])
        self.assertEqual(self.board("camp")["ben"], public_before["ben"] + 50)
        actions = self.audit_actions("camp")
        self.assertIn("freeze", actions)
        self.assertIn("unfreeze", actions)

    # recompute
    def test_recompute_dry_run_lists_changes_and_writes_nothing(self):
        self.call("PUT", "/api/contests/camp/components/homework", {"ann": 10})
        key = "lb:{camp}:board:participants"
        redis_cli(self.DB, "ZADD", key, "-1", "ghost")  # damage a board behind the engine's back
        status, body = self.call("POST", "/api/contests/camp/recompute?dry_run=1", {})
        self.assertEqual(status, 200, body)
        self.assertTrue(body["dry_run"])
        ghost = [c for c in body["changes"] if c["member"] == "ghost"]
        self.assertEqual(len(ghost), 1)
        self.assertEqual((ghost[0]["board"], ghost[0]["after"]), ("participants", None))
        self.assertIn("ghost", redis_cli(self.DB, "ZRANGE", key, "0", "-1"))
        status, body = self.call("POST", "/api/contests/camp/recompute", {})
        self.assertEqual(status, 200, body)
        self.assertFalse(body["dry_run"])
        self.assertNotIn("ghost", redis_cli(self.DB, "ZRANGE", key, "0", "-1"))
        actions = self.audit_actions("camp")
        self.assertIn("recompute_dry_run", actions)
        self.assertIn("recompute", actions)


if __name__ == "__main__":
    unittest.main()
