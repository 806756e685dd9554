"""Homework handed in and judged, over HTTP against the real binary: a participant hands in a
link and a note per assignment (with their token), replaces it until a judge scores it; judges
list what waits, by name, and score it 0..max with a comment; each score is an award on the
component's board and the weighted total; what is not open, past due, or malformed is refused
with the field named and changes nothing."""
import json
import unittest

from harness import Server, iso, redis_cli, redis_url, write_config

DB = 69
ADMIN = {"Authorization": "Bearer homework-admin", "Content-Type": "application/json"}
JUDGE = {"Authorization": "Bearer homework-judge-ana", "Content-Type": "application/json"}
JUDGE_BO = {"Authorization": "Bearer homework-judge-bo", "Content-Type": "application/json"}


def config():
    return {
        "admin_token_env": "LB_ADMIN_TOKEN",
        "judges": [{"id": "ana", "token_env": "LB_JUDGE_ANA"}, {"id": "bo-judge", "token_env": "LB_JUDGE_BO"}],
        "contests": [{
            "id": "camp", "title": {"en": "Camp", "zh": "训练营"}, "starts_at": iso(-3), "ends_at": iso(18), "repos": [],
            "teams": [{"id": "sh", "name": {"en": "Shanghai", "zh": "上海"}, "kind": "city"}],
            "participants": [{"id": "ann", "name": "Ann", "github": "ann-gh", "teams": ["sh"]},
                             {"id": "bo", "name": "薄一", "github": "bo-gh", "teams": ["sh"]}],
            "rules": {"components": [
                {"id": "homework", "name": {"en": "Homework", "zh": "课后作业"}, "weight": 0.5, "max": 100,
                 "submissions": {"assignments": [
                     {"id": "w1", "name": {"en": "Week 1", "zh": "第一周"}, "opens_at": iso(-2), "due_at": iso(2)},
                     {"id": "w2", "name": {"en": "Week 2", "zh": "第二周"}, "opens_at": iso(5), "due_at": iso(9)},
                     {"id": "w0", "opens_at": iso(-3), "due_at": iso(-1)}]}},
                {"id": "project", "weight": 0.5, "max": 100}]}}]}


class Homework(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        redis_cli(DB, "FLUSHDB")
        env = {"LB_ADMIN_TOKEN": "homework-admin", "LB_JUDGE_ANA": "homework-judge-ana", "LB_JUDGE_BO": "homework-judge-bo"}
        cls.document = config()  # its times are the server's: a config() made later may be a second on
        cls.server = Server(write_config(cls.document), redis_url(DB), env)
        cls.server.wait_ready()
        cls.tokens = {}
        for pid in ("ann", "bo"):
            status, answer = cls.server.json("POST", f"/api/contests/camp/participants/{pid}/tokens", b"{}", ADMIN)
            assert status == 201, answer
            cls.tokens[pid] = {"Authorization": f"Bearer {answer['token']}", "Content-Type": "application/json"}

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def hand_in(self, pid, assignment, url, note=None):
        body = {"component": "homework", "assignment": assignment, "url": url, **({"note": note} if note is not None else {})}
        return self.server.json("POST", "/api/contests/camp/homework", json.dumps(body).encode(), self.tokens[pid])

    def standings(self, board):
        return {r["id"]: r["points"] for r in self.server.json("GET", f"/api/contests/camp/standings?board={board}")[1]["rows"]}

    def test_a_hand_in_is_judged_from_the_queue_and_counts_on_the_boards(self):
        status, first = self.hand_in("ann", "w1", "https://gitee.com/ann/notes/w1-draft", "草稿")
        self.assertEqual((status, first["id"], first["late"]), (201, "homework:w1:ann", False), first)
        status, replaced = self.hand_in("ann", "w1", "https://gitee.com/ann/notes/w1", "第一周：复现 ResNet-50")
        self.assertEqual((status, replaced["url"]), (201, "https://gitee.com/ann/notes/w1"), replaced)
        self.assertEqual(self.hand_in("bo", "w1", "https://example.org/bo/w1")[0], 201)
        # The queue: what waits, by name, once per participant and assignment.
        status, queue = self.server.json("GET", "/api/contests/camp/homework?state=pending", None, JUDGE)
        self.assertEqual(status, 200, queue)
        waiting = {h["id"]: h for h in queue["hand_ins"]}
        self.assertEqual(set(waiting), {"homework:w1:ann", "homework:w1:bo"})
        self.assertEqual((waiting["homework:w1:bo"]["participant_name"], waiting["homework:w1:ann"]["note"]), ("薄一", "第一周：复现 ResNet-50"))
        # Scored: an award on the component's board, half of it on the total (weight 0.5).
        body = json.dumps({"points": 87.5, "comment": "清楚，有数据"}).encode()
        status, scored = self.server.json("POST", "/api/contests/camp/homework/homework:w1:ann/score", body, {**JUDGE, "Idempotency-Key": "score-ann-w1"})
        self.assertEqual((status, scored["score"], scored["judge"]), (200, 87.5, "ana"), scored)
        again = self.server.json("POST", "/api/contests/camp/homework/homework:w1:ann/score", body, {**JUDGE, "Idempotency-Key": "score-ann-w1"})
        self.assertEqual(again, (200, scored))  # a retry is answered as the first time, not applied twice
        self.assertEqual(self.standings("component:homework")["ann"], 87.5)
        self.assertEqual(self.standings("participants")["ann"], 43.75)
        self.assertEqual(self.standings("teams:city")["sh"], 43.75)
        # Scored work stays as judged; the participant sees the score, the comment and what is due.
        status, refused = self.hand_in("ann", "w1", "https://gitee.com/ann/notes/w1-v3")
        self.assertEqual((status, refused["error"]), (409, "already_scored"), refused)
        status, mine = self.server.json("GET", "/api/contests/camp/homework/mine", None, self.tokens["ann"])
        self.assertEqual(status, 200, mine)
        by_id = {a["assignment"]: a for a in mine["assignments"]}
        self.assertEqual((by_id["w1"]["handed_in"]["score"], by_id["w1"]["handed_in"]["comment"]), (87.5, "清楚，有数据"))
        self.assertEqual((by_id["w2"]["handed_in"], by_id["w2"]["name"]["zh"]), (None, "第二周"))
        self.assertEqual(by_id["w2"]["due_at"], self.document["contests"][0]["rules"]["components"][0]["submissions"]["assignments"][1]["due_at"])
        # Re-scored: the award is replaced, not added to.
        status, _ = self.server.json("POST", "/api/contests/camp/homework/homework:w1:ann/score", json.dumps({"points": 90}).encode(), JUDGE)
        self.assertEqual(status, 200)
        self.assertEqual(self.standings("component:homework")["ann"], 90)
        # A recompute derives the same boards from the ledger: the score counts once, weighted.
        redis_cli(DB, "DEL", "lb:{camp}:board:participants", "lb:{camp}:board:component:homework")
        status, report = self.server.json("POST", "/api/contests/camp/recompute", b"{}", ADMIN)
        self.assertEqual(status, 200, report)
        self.assertEqual((self.standings("component:homework")["ann"], self.standings("participants")["ann"]), (90, 45))
        # The judge's actions are audited.
        audit = self.server.json("GET", "/api/contests/camp/audit", None, ADMIN)[1]
        scores = [e for e in audit["entries"] if e.get("action") == "homework_score"]
        self.assertEqual([(e["actor"], e["hand_in"]) for e in scores], [("ana", "homework:w1:ann")] * 2)
        # A component that takes homework is not scored as a whole.
        status, whole = self.server.json("PUT", "/api/contests/camp/components/homework", json.dumps({"bo": 50}).encode(), ADMIN)
        self.assertEqual((status, whole["error"]), (409, "scored_by_assignment"), whole)

    def test_one_judge_at_a_time_holds_a_hand_in(self):
        self.hand_in("bo", "w1", "https://example.org/bo/w1")  # waiting (the first test may have handed it in already)
        claim = "/api/contests/camp/homework/homework:w1:bo/claim"
        status, held = self.server.json("POST", claim, b"", JUDGE)
        self.assertEqual((status, held["claimed_by"], held["expires_in"]), (200, "ana", 900), held)
        status, refused = self.server.json("POST", claim, b"", JUDGE_BO)
        self.assertEqual((status, refused["error"]), (409, "claimed"), refused)
        self.assertIn("ana", refused["message"])
        status, refused = self.server.json("POST", "/api/contests/camp/homework/homework:w1:bo/score", b'{"points": 50}', JUDGE_BO)
        self.assertEqual((status, refused["error"]), (409, "claimed"), refused)
        queue = {h["id"]: h for h in self.server.json("GET", "/api/contests/camp/homework?state=pending", None, JUDGE_BO)[1]["hand_ins"]}
        self.assertEqual(queue["homework:w1:bo"]["claimed_by"], "ana")
        self.assertEqual(self.server.json("DELETE", claim, None, JUDGE_BO)[0], 409)  # only the holder (or an admin) releases it
        self.assertEqual(self.server.json("DELETE", claim, None, JUDGE)[1]["outcome"], "released")
        self.assertEqual(self.server.json("POST", claim, b"", JUDGE_BO)[1]["claimed_by"], "bo-judge")
        self.assertEqual(self.server.json("DELETE", claim, None, {"Authorization": "Bearer homework-admin"})[1]["outcome"], "released")
        queue = {h["id"]: h for h in self.server.json("GET", "/api/contests/camp/homework?state=pending", None, JUDGE)[1]["hand_ins"]}
        self.assertIsNone(queue["homework:w1:bo"]["claimed_by"])

    def test_what_is_not_open_past_due_or_malformed_is_refused_and_changes_nothing(self):
        before = redis_cli(DB, "HLEN", "lb:{camp}:homework")
        for (assignment, url, note), (code, error, field) in [
                (("w2", "https://x.org/w2", None), (409, "not_open", "assignment")),
                (("w0", "https://x.org/w0", None), (409, "past_due", "assignment")),
                (("w9", "https://x.org/w9", None), (400, "bad_field", "assignment")),
                (("w1", "javascript:alert(1)", None), (400, "bad_field", "url")),
                (("w1", "https://x.org/" + "a" * 600, None), (400, "bad_field", "url")),
                (("w1", "https://x.org/ok", "n" * 501), (400, "bad_field", "note"))]:
            with self.subTest(assignment=assignment, url=url[:30]):
                status, answer = self.hand_in("bo", assignment, url, note)
                self.assertEqual((status, answer["error"]), (code, error), answer)
                self.assertTrue(answer["message"].startswith(field + ":"), answer)
        status, answer = self.server.json("POST", "/api/contests/camp/homework", b'{"assignment": "w1"}', self.tokens["bo"])
        self.assertEqual((status, answer["message"].split(":")[0]), (400, "component"))
        status, _ = self.server.json("POST", "/api/contests/camp/homework", json.dumps({"component": "homework", "assignment": "w1", "url": "https://x.org"}).encode(),
                                     {"Content-Type": "application/json"})
        self.assertEqual(status, 401)  # neither a token nor a session
        for target, body, (code, field) in [
                ("homework:w1:nobody", {"points": 5}, (404, "hand_in")), ("homework:w1", {"points": 5}, (404, "hand_in")),
                ("project:w1:ann", {"points": 5}, (404, "hand_in")), ("homework:w1:bo", {"points": 101}, (400, "points")),
                ("homework:w1:bo", {"points": "ten"}, (400, "points")), ("homework:w1:bo", {"points": 5, "comment": 7}, (400, "comment"))]:
            with self.subTest(score=target, body=body):
                status, answer = self.server.json("POST", f"/api/contests/camp/homework/{target}/score", json.dumps(body).encode(), JUDGE)
                self.assertEqual((status, answer["message"].split(":")[0]), (code, field), answer)
        self.assertEqual(self.server.json("POST", "/api/contests/camp/homework/homework:w1:bo/score", b'{"points": 5}', self.tokens["bo"])[0], 401)
        self.assertEqual(self.server.json("GET", "/api/contests/camp/homework?state=maybe", None, JUDGE)[0], 400)
        self.assertEqual(redis_cli(DB, "HLEN", "lb:{camp}:homework"), before)


if __name__ == "__main__":
    unittest.main()
