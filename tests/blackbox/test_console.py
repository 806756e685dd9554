"""Black-box tests of what the organizer console calls: roles, the judges' queue with claims,
dry runs of uploads and verdicts, finalize and the final export, explain, the overview.
The real binary, a real Redis."""
import hashlib
import json
import signal
import time
import unittest

from harness import Server, iso, redis_cli, redis_url, write_config
from payloads import github_delivery, github_pr

ADMIN_TOKEN = "console-admin-token"
ANA_TOKEN = "judge-ana-token"
BO_TOKEN = "judge-bo-token"
SECRET = "console-hook-secret"
ENV = {"LB_ADMIN_TOKEN": ADMIN_TOKEN, "LB_GITHUB_SECRET": SECRET, "LB_JUDGE_ANA": ANA_TOKEN, "LB_JUDGE_BO": BO_TOKEN}


def bearer(token, content_type="application/json"):
    return {"Authorization": "Bearer " + token, "Content-Type": content_type}


ADMIN, ANA, BO = bearer(ADMIN_TOKEN), bearer(ANA_TOKEN), bearer(BO_TOKEN)


def config_document():
    teams = [{"id": "beijing", "name": {"en": "Beijing", "zh": "北京"}, "kind": "city"}]
    people = [{"id": "ann", "name": "Ann", "github": "ann", "teams": ["beijing"]},
              {"id": "ben", "name": "Ben", "github": "ben", "teams": ["beijing"]}]
    return {
        "admin_token_env": "LB_ADMIN_TOKEN",
        "judges": [{"id": "ana", "name": "Ana", "token_env": "LB_JUDGE_ANA"}, {"id": "bo", "token_env": "LB_JUDGE_BO"}],
        "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"}},
        "contests": [
            {"id": "repro", "title": "Reproductions", "starts_at": iso(-1), "ends_at": iso(30), "repos": ["github:org/models"],
             "teams": teams, "participants": people,
             "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10}, "exclude_labels": ["invalid"]},
                       "reproductions": {"models": [{"id": "resnet50", "name": "ResNet-50", "points": 100, "metric": "top1",
                                                     "target": 0.76, "tolerance": 0.01, "first_bonus": 50}]}}},
            # Ended yesterday, frozen by schedule since the day before.
            {"id": "past", "title": "Last week", "starts_at": iso(-7), "ends_at": iso(-1), "freeze_at": iso(-2),
             "repos": ["github:org/past"], "teams": teams, "participants": people,
             "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10}}}}]}


class Console(unittest.TestCase):
    DB = 47

    @classmethod
    def setUpClass(cls):
        redis_cli(cls.DB, "FLUSHDB")
        cls.server = Server(write_config(config_document()), redis_url(cls.DB), ENV)
        cls.server.wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def call(self, method, path, body=None, headers=ADMIN, raw=None):
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        return self.server.json(method, path, data, headers)

    def deliver(self, number, author, repo, merged_at, labels=("bug",), expect=200):
        body, headers = github_delivery(SECRET, github_pr(number=number, author=author, labels=labels, repo=repo, merged_at=merged_at))
        status, _, text = self.server.request("POST", "/hooks/github", body, headers)
        self.assertEqual(status, expect, text)
        return json.loads(text)

    def board(self, contest, headers=None):
        status, body = self.call("GET", f"/api/contests/{contest}/standings", headers=headers or {})
        self.assertEqual(status, 200, body)
        return {row["id"]: row["points"] for row in body["rows"]}

    def audit(self, contest, query=""):
        status, body = self.call("GET", f"/api/contests/{contest}/audit{query}")
        self.assertEqual(status, 200, body)
        return body["entries"]

    def test_tokens_name_their_holder_and_judges_cannot_reach_admin_actions(self):
        self.assertEqual(self.call("GET", "/api/whoami", headers=ANA)[1], {"actor": "ana", "role": "judge", "contests": ["repro", "past"]})
        self.assertEqual(self.call("GET", "/api/whoami")[1]["role"], "admin")
        self.assertEqual(self.call("GET", "/api/whoami", headers=bearer("nobody"))[0], 401)
        before = self.board("repro")
        for method, path, body in [("POST", "/api/contests/repro/adjustments", {"participant": "ann", "points": 5, "reason": "r"}),
                                   ("POST", "/api/contests/repro/freeze", {}), ("POST", "/api/contests/repro/recompute", {}),
                                   ("POST", "/api/contests/past/finalize", {}), ("GET", "/api/contests/repro/audit", None),
                                   ("PUT", "/api/contests/repro/participants", [{"id": "eve", "name": "Eve"}]),
                                   ("POST", "/api/contests/repro/participants/ann/disqualify", {"reason": "r"})]:
            with self.subTest(path=path):
                status, answer = self.call(method, path, body, headers=ANA)
                self.assertEqual((status, answer["error"]), (403, "forbidden"), answer)
        self.assertEqual(self.board("repro"), before)
        # An actor in the request is refused: the token names who acted.
        status, answer = self.call("POST", "/api/contests/repro/adjustments",
                                   {"participant": "ann", "points": 5, "reason": "r", "actor": "someone-else"})
        self.assertEqual((status, answer["error"]), (400, "bad_field"))
        self.assertIn("actor", answer["message"])

    def test_two_judges_never_judge_the_same_submission(self):
        status, token = self.call("POST", "/api/contests/repro/participants/ben/tokens", {})
        self.assertEqual(status, 201, token)
        status, sub = self.call("POST", "/api/contests/repro/submissions", {"model": "resnet50", "metrics": {"top1": 0.765},
                                "evidence_url": "https://example.org/run/9"}, bearer(token["token"]))
        self.assertEqual(status, 201, sub)
        sid = sub["id"]
        base = f"/api/contests/repro/submissions/{sid}"
        self.assertEqual(self.call("POST", base + "/claim", headers=ANA)[1]["claimed_by"], "ana")
        status, answer = self.call("POST", base + "/claim", headers=BO)
        self.assertEqual((status, answer["error"]), (409, "claimed"))
        self.assertIn("ana", answer["message"])
        status, answer = self.call("POST", base + "/verdict", {"accepted": False, "reason": "looks off"}, BO)
        self.assertEqual((status, answer["error"]), (409, "claimed"))
        self.assertEqual(self.call("DELETE", base + "/claim", headers=BO)[0], 409)  # only the holder or an admin releases it
        status, queue = self.call("GET", "/api/contests/repro/submissions?state=pending", headers=BO)
        self.assertEqual([(s["id"], s["claimed_by"]) for s in queue["submissions"] if s["id"] == sid], [(sid, "ana")])

        # The preview: the tolerance check and who would hold the first bonus; nothing is written.
        status, preview = self.call("POST", base + "/verdict?dry_run=1", {"accepted": True, "measured": 0.765}, ANA)
        self.assertEqual(status, 200, preview)
        self.assertTrue(preview["qualifies"])
        self.assertEqual(preview["first_bonus"], {"before": None, "after": "ben"})
        self.assertAlmostEqual(preview["tolerance_check"]["difference"], 0.005)
        self.assertNotIn("ben", self.board("repro"))
        status, answer = self.call("POST", base + "/verdict", {"accepted": True, "measured": 0.765}, ANA)
        self.assertEqual(status, 200, answer)
        self.assertEqual(self.board("repro")["ben"], 150)
        self.assertEqual(self.call("POST", base + "/claim", headers=BO)[1]["error"], "already_judged")
        status, judged = self.call("GET", "/api/contests/repro/submissions?state=judged&q=BEN", headers=BO)
        self.assertEqual([(s["id"], s["judge"], s["claimed_by"]) for s in judged["submissions"]], [(sid, "ana", None)])
        verdicts = self.audit("repro", "?action=verdict&actor=ana")
        self.assertEqual([(e["actor"], e["submission"]) for e in verdicts], [("ana", sid)])
        self.assertEqual(self.audit("repro", "?action=verdict&actor=bo"), [])

    def test_uploads_run_dry_first(self):
        csv = "id,name,github,teams\r\nann,Ann Li,ann,beijing\r\ncyd,Cyd,cyd,mars\r\ndan,Dan,dan,beijing\r\n"
        for query in ["?dry_run=1", ""]:
            status, answer = self.call("PUT", "/api/contests/repro/participants" + query, raw=csv, headers=bearer(ADMIN_TOKEN, "text/csv"))
            self.assertEqual((status, answer["error"]), (400, "invalid_rows"), answer)
            self.assertEqual(len(answer["problems"]), 1, answer)
            self.assertIn("line 3", answer["problems"][0])
        good = "id,name,github,teams\r\nann,Ann Li,ann,beijing\r\ndan,Dan,dan,beijing\r\n"
        status, preview = self.call("PUT", "/api/contests/repro/participants?dry_run=1", raw=good, headers=bearer(ADMIN_TOKEN, "text/csv"))
        self.assertEqual(status, 200, preview)
        self.assertEqual([(c["id"], c["change"]) for c in preview["changes"]], [("ann", "update"), ("dan", "create")])
        self.assertEqual((preview["changes"][0]["before"]["name"], preview["changes"][0]["after"]["name"]), ("Ann", "Ann Li"))
        status, contest = self.call("GET", "/api/contests/repro")
        self.assertNotIn("dan", [p["id"] for p in contest["participants"]])  # the dry run wrote nothing

    def test_explain_a_pull_request_and_a_login(self):
        self.deliver(7, "ann", "org/models", iso(0), labels=("Invalid", "bug"))
        self.deliver(8, "zed", "org/models", iso(0))
        status, why = self.call("GET", "/api/contests/repro/explain?pr=https://github.com/org/models/pull/7", headers=ANA)
        self.assertEqual(status, 200, why)
        checks = {c["check"]: c for c in why["checks"]}
        self.assertFalse(checks["excluded_labels"]["passed"])
        self.assertIn("invalid", checks["excluded_labels"]["detail"])
        self.assertEqual((why["points"], why["labels_normalized"]), (0, ["bug", "invalid"]))
        status, why = self.call("GET", "/api/contests/repro/explain?login=zed", headers=ANA)
        self.assertEqual(why["registered_as"], None)
        self.assertEqual([a["subject"] for a in why["awards"]], ["github:org/models#8"])
        self.assertFalse({c["check"]: c for c in why["awards"][0]["checks"]}["registration"]["passed"])
        status, why = self.call("GET", "/api/contests/repro/explain?pr=https://github.com/org/models/pull/404", headers=ANA)
        self.assertEqual((status, why["found"]), (200, False))

    def test_overview_shows_clock_counts_and_webhook_health(self):
        self.deliver(21, "ann", "org/models", iso(0))
        status, view = self.call("GET", "/api/contests/repro/overview", headers=BO)
        self.assertEqual(status, 200, view)
        self.assertEqual(view["clock"]["state"], "running")
        self.assertGreaterEqual(view["counts"]["awards"], 1)
        self.assertEqual(view["counts"]["participants"], 2)
        self.assertGreaterEqual(view["webhooks"]["hosts"]["github"]["last_hour"]["applied"], 1)
        self.assertGreaterEqual(view["webhooks"]["hosts"]["github"]["repos"]["org/models"]["last_hour"]["applied"], 1)
        self.deliver(22, "ann", "elsewhere/unknown", iso(0), expect=202)  # a webhook set up on a repository no contest has
        status, view = self.call("GET", "/api/contests/repro/overview", headers=BO)
        self.assertEqual(view["webhooks"]["hosts"]["github"]["repos"]["elsewhere/unknown"]["last_outcome"], "ignored")
        self.assertEqual(view["webhooks"]["redis"], "ready")
        self.assertEqual([j["id"] for j in view["judges"]], ["ana", "bo"])

    def test_finalize_locks_the_standings_after_the_reveal(self):
        self.deliver(1, "ann", "org/past", iso(-3))
        self.assertEqual(self.board("past", ADMIN), {"ann": 11})
        status, answer = self.call("POST", "/api/contests/past/finalize", {"reason": "results"})
        self.assertEqual((status, answer["error"]), (409, "still_frozen"), answer)  # frozen results are never published as final
        self.assertEqual(self.call("POST", "/api/contests/past/unfreeze", {})[0], 200)
        self.assertEqual(self.call("POST", "/api/contests/past/finalize", {"reason": "results"})[1]["outcome"], "applied")
        self.assertEqual(self.call("POST", "/api/contests/past/finalize", {})[1]["outcome"], "unchanged")

        status, export = self.call("GET", "/api/contests/past/standings", headers={})
        self.assertTrue(export["final"])
        claimed = export.pop("checksum")
        canonical = json.dumps(export, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        self.assertEqual(claimed, "sha256:" + hashlib.sha256(canonical.encode()).hexdigest())
        time.sleep(1.1)  # a later fetch is the same document, its generated_at the contest's end
        self.assertEqual(self.call("GET", "/api/contests/past/standings", headers={})[1]["checksum"], claimed)
        status, headers, csv = self.server.request("GET", "/api/contests/past/standings?format=csv")
        self.assertEqual(headers["X-Standings-Final"], "true")
        self.assertEqual(headers["X-Standings-Checksum"], "sha256:" + hashlib.sha256(csv.encode()).hexdigest())

        # A late delivery is kept, not counted; nothing else moves the locked standings either.
        late = self.deliver(2, "ben", "org/past", iso(-4))
        self.assertEqual(late["contests"][0]["outcome"], "after_final")
        self.assertEqual(self.board("past"), {"ann": 11})
        status, why = self.call("GET", "/api/contests/past/explain?pr=https://github.com/org/past/pull/2")
        self.assertTrue(why["arrived_after_final"])
        for method, path, body in [("POST", "/api/contests/past/adjustments", {"participant": "ann", "points": 5, "reason": "r"}),
                                   ("POST", "/api/contests/past/freeze", {}), ("POST", "/api/contests/past/recompute", {}),
                                   ("POST", "/api/contests/past/participants/ann/disqualify", {"reason": "r"})]:
            with self.subTest(path=path):
                status, answer = self.call(method, path, body)
                self.assertEqual((status, answer["error"]), (409, "contest_final"), answer)
        self.assertEqual(self.board("past"), {"ann": 11})
        status, view = self.call("GET", "/api/contests/past/overview")
        self.assertEqual((view["clock"]["state"], view["final"]["actor"], view["counts"]["after_final"]), ("final", "admin", 1))
        self.assertEqual([e["action"] for e in self.audit("past", "?action=finalize")], ["finalize"])

    def test_audit_is_paged_and_filtered(self):
        for i in range(5):
            self.assertEqual(self.call("POST", "/api/contests/repro/adjustments",
                                       {"participant": "ann", "points": 0, "reason": f"page {i}", "id": f"page-{i}"})[0], 201)
        status, first = self.call("GET", "/api/contests/repro/audit?action=adjustment&limit=2")
        self.assertEqual(len(first["entries"]), 2)
        status, rest = self.call("GET", f"/api/contests/repro/audit?action=adjustment&limit=10&before={first['next_before']}")
        reasons = [e["reason"] for e in first["entries"] + rest["entries"]]
        self.assertEqual(reasons[:5], ["page 4", "page 3", "page 2", "page 1", "page 0"])
        self.assertEqual(self.call("GET", "/api/contests/repro/audit?limit=0")[0], 400)



class ConfigReload(unittest.TestCase):
    """The config file read again while serving: checked whole, applied with the run-time state kept."""
    DB = 48

    def setUp(self):
        redis_cli(self.DB, "FLUSHDB")
        self.document = config_document()
        self.path = write_config(self.document)
        self.server = Server(self.path, redis_url(self.DB), {**ENV, "LB_JUDGE_CY": "judge-cy-token"})
        self.server.wait_ready()

    def tearDown(self):
        self.server.stop()

    def rewrite(self, document):
        with open(self.path, "w", encoding="utf-8") as f:
            json.dump(document, f)

    def call(self, method, path, body=None, headers=ADMIN):
        return self.server.json(method, path, json.dumps(body) if body is not None else None, headers)

    def test_a_valid_file_is_applied_with_imports_and_freeze_kept(self):
        status, _ = self.call("PUT", "/api/contests/repro/participants", [{"id": "dan", "name": "Dan", "github": "dan", "teams": ["beijing"]}])
        self.assertEqual(status, 200)
        self.assertEqual(self.call("POST", "/api/contests/repro/freeze", {})[0], 200)
        changed = json.loads(json.dumps(self.document))
        changed["contests"][0]["title"] = "Reproductions, week 2"
        changed["contests"].append({**changed["contests"][1], "id": "extra", "title": "Extra"})
        changed["judges"].append({"id": "cy", "token_env": "LB_JUDGE_CY"})
        changed["server"] = {"max_connections": 500}
        self.rewrite(changed)
        status, answer = self.call("POST", "/api/config/reload")
        self.assertEqual(status, 200, answer)
        self.assertEqual((answer["reloaded"], answer["contests"]), (True, ["repro", "past", "extra"]))
        self.assertEqual(answer["restart_needed_for"], ["server.max_connections"])
        status, contest = self.call("GET", "/api/contests/repro")
        self.assertEqual(contest["title"]["en"] if isinstance(contest["title"], dict) else contest["title"], "Reproductions, week 2")
        self.assertIn("dan", [p["id"] for p in contest["participants"]])  # the run-time import is kept
        self.assertTrue(self.call("GET", "/api/contests/repro/standings", headers={})[1]["frozen"])  # and the freeze
        self.assertEqual(self.call("GET", "/api/contests/extra/standings", headers={})[0], 200)
        self.assertEqual(self.call("GET", "/api/whoami", headers=bearer("judge-cy-token"))[1]["actor"], "cy")

    def test_a_file_with_errors_changes_nothing_and_names_every_error(self):
        broken = json.loads(json.dumps(self.document))
        broken["contests"][0]["ends_at"] = "tomorrow"
        broken["judges"][0]["token_env"] = "not a variable"
        self.rewrite(broken)
        status, answer = self.call("POST", "/api/config/reload")
        self.assertEqual((status, answer["error"]), (422, "invalid_config"), answer)
        self.assertTrue(any("contests[0].ends_at" in p for p in answer["problems"]), answer)
        self.assertTrue(any("judges[0].token_env" in p for p in answer["problems"]), answer)
        self.assertEqual(self.call("GET", "/api/whoami", headers=ANA)[1]["actor"], "ana")
        self.assertEqual(self.call("GET", "/api/contests/repro/standings", headers={})[0], 200)
        self.assertEqual(self.call("POST", "/api/config/reload", headers=ANA)[0], 403)

    def test_sighup_reloads_the_file(self):
        changed = json.loads(json.dumps(self.document))
        changed["contests"][1]["title"] = "Last week, renamed"
        self.rewrite(changed)
        self.server.process.send_signal(signal.SIGHUP)
        deadline = time.time() + 5
        while time.time() < deadline:
            title = self.call("GET", "/api/contests/past")[1]["title"]
            if (title.get("en") if isinstance(title, dict) else title) == "Last week, renamed":
                break
            time.sleep(0.05)
        else:
            self.fail("SIGHUP did not reload the config")
        self.assertEqual(self.server.process.poll(), None)


if __name__ == "__main__":
    unittest.main()
