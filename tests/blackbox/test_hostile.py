"""The hostile-input tier: the running binary against a table of requests an outsider (or a
careless organizer) might send. Every case checks the status, that the answer is a JSON
error naming what is wrong, that the server still answers, and that the store is unchanged."""
import hashlib
import hmac
import json
import os
import unittest

from harness import example_prs, still_running, EXAMPLES, Server, cli, redis_port, redis_url, write_config
from payloads import gitee_delivery, gitee_pr, github_delivery, github_pr, merge_request, merge_request_delivery
from wire import Resp, WebSocket, fingerprint, http

DB = 46
TOKEN = "hostile-admin-token"
GITHUB_SECRET = "hostile-github-secret"
GITEE_SECRET = "hostile-gitee-secret"
JUDGE_TOKEN = "hostile-judge-token"
MR_SECRETS = {"gitcode": "hostile-gitcode-token", "atomgit": "hostile-atomgit-token", "gitlab": "hostile-gitlab-token"}
ENV = {"LB_ADMIN_TOKEN": TOKEN, "LB_GITHUB_SECRET": GITHUB_SECRET, "LB_GITEE_SECRET": GITEE_SECRET, "LB_JUDGE_ZOE": JUDGE_TOKEN,
       "LB_GITCODE_SECRET": MR_SECRETS["gitcode"], "LB_ATOMGIT_SECRET": MR_SECRETS["atomgit"], "LB_GITLAB_SECRET": MR_SECRETS["gitlab"]}
ADMIN = {"Authorization": "Bearer " + TOKEN}
JUDGE = {"Authorization": "Bearer " + JUDGE_TOKEN}
JSON = {"Content-Type": "application/json"}
CSV = {"Content-Type": "text/csv"}
BUG = "winter-bugbash"
REPRO = "model-repro"
CAMP = "spring-camp"


def example_config(**server):
    with open(os.path.join(EXAMPLES, "geekweek.json"), encoding="utf-8") as f:
        document = json.load(f)
    for contest in document["contests"]:
        for key in ("teams_file", "participants_file"):
            if key in contest:
                contest[key] = os.path.abspath(os.path.join(EXAMPLES, contest[key]))
    document["branding_dir"] = os.path.abspath(os.path.join(EXAMPLES, "branding"))
    still_running(document)
    # The table sends a viewer twenty messages in a row; the flood test sends two hundred.
    document["live"] = {"messages_per_second": 10}
    document["judges"] = [{"id": "zoe", "name": "Zoe", "token_env": "LB_JUDGE_ZOE"}]
    # Sign-in with a host nobody answers for: the hostile cases are refused before any call to it.
    nowhere = "http://127.0.0.1:9"
    document["community"]["sign_in"] = {"github": {"client_id": "hostile-app", "client_secret_env": "LB_HOSTILE_OAUTH",
                                                   "authorize_url": nowhere + "/authorize", "token_url": nowhere + "/token",
                                                   "api_url": nowhere}}
    # Hundreds of refused credentials and bodies come from this one client: the limits per client
    # are tested in test_sign_in.py, here they would answer 429 before the case under test.
    document["server"] = {"limits": {"public_writes": {"per_minute": 100000, "burst": 100000},
                                     "failed_credentials": {"per_minute": 100000, "burst": 100000}}, **server}
    return document


class Case:
    def __init__(self, name, method, target, status, error=None, headers=None, body=b"", names=None):
        self.name, self.method, self.target, self.status = name, method, target, status
        self.error = error        # the "error" code of a JSON error, or None for webhook answers
        self.headers = headers or {}
        self.body = body
        self.names = names        # text the answer must contain, naming the field or header at fault


def nested(depth):
    return "[" * depth + "]" * depth


# Every route of the route table, with the method it takes, a valid target, and whether it is
# an admin route (401 without the token, 403 with a judge's), a judge route (either token).
ROUTES = [
    ("GET", "/healthz", "anyone"), ("GET", "/readyz", "anyone"), ("GET", "/metrics", "anyone"),
    ("POST", "/hooks/github", "hook"), ("POST", "/hooks/gitee", "hook"), ("POST", "/hooks/gitcode", "hook"),
    ("POST", "/hooks/atomgit", "hook"), ("POST", "/hooks/gitlab", "hook"), ("GET", "/ws", "anyone"),
    ("GET", "/", "anyone"), ("GET", "/index.html", "anyone"), ("GET", "/api/contests", "anyone"),
    ("GET", f"/api/contests/{BUG}", "anyone"), ("GET", f"/api/contests/{BUG}/standings", "anyone"),
    ("GET", f"/api/contests/{BUG}/qr.svg?origin=http://hall:8080", "anyone"),
    ("GET", f"/api/contests/{BUG}/participants/alice", "anyone"), ("GET", f"/api/contests/{BUG}/events", "anyone"),
    ("GET", f"/api/contests/{BUG}/history", "anyone"), ("POST", f"/api/contests/{REPRO}/submissions", "participant"),
    ("POST", f"/api/contests/{CAMP}/homework", "participant"), ("GET", f"/api/contests/{CAMP}/homework/mine", "participant"),
    ("GET", f"/api/contests/{CAMP}/homework", "judge"), ("POST", f"/api/contests/{CAMP}/homework/homework:w1:alice/score", "judge"),
    ("POST", f"/api/contests/{CAMP}/homework/advanced:part-1:lin/claim", "judge"), ("DELETE", f"/api/contests/{CAMP}/homework/advanced:part-1:lin/claim", "judge"),
    ("POST", f"/api/contests/{BUG}/adjustments", "admin"), ("GET", f"/api/contests/{BUG}/unattributed", "admin"),
    ("GET", f"/api/contests/{BUG}/audit", "admin"), ("PUT", f"/api/contests/{BUG}/teams", "admin"),
    ("PUT", f"/api/contests/{BUG}/participants", "admin"), ("GET", f"/api/contests/{BUG}/participants", "admin"), ("POST", f"/api/contests/{BUG}/participants/alice/tokens", "admin"),
    ("DELETE", f"/api/contests/{BUG}/participants/alice/tokens", "admin"),
    ("POST", f"/api/contests/{BUG}/participants/alice/disqualify", "admin"),
    ("POST", f"/api/contests/{BUG}/participants/alice/reinstate", "admin"),
    ("PUT", f"/api/contests/{CAMP}/components/homework", "judge"), ("GET", f"/api/contests/{REPRO}/submissions", "judge"),
    ("POST", f"/api/contests/{REPRO}/submissions/s1/verdict", "judge"), ("POST", f"/api/contests/{BUG}/freeze", "admin"),
    ("POST", f"/api/contests/{BUG}/unfreeze", "admin"), ("POST", f"/api/contests/{BUG}/recompute", "admin"),
    ("POST", f"/api/contests/{BUG}/finalize", "admin"), ("POST", f"/api/contests/{REPRO}/submissions/s1/claim", "judge"),
    ("DELETE", f"/api/contests/{REPRO}/submissions/s1/claim", "judge"), ("GET", f"/api/contests/{BUG}/overview", "judge"),
    ("GET", f"/api/contests/{BUG}/explain", "judge"), ("GET", "/api/whoami", "judge"), ("GET", "/admin", "anyone"),
    ("POST", "/api/config/reload", "admin"),
    ("GET", f"/api/contests/{BUG}/cells?ids=alice,bob", "anyone"), ("GET", f"/api/contests/{BUG}/find?q=al", "anyone"),
    ("GET", f"/api/contests/{BUG}/reveal", "anyone"), ("POST", f"/api/contests/{BUG}/reveal", "admin"),
    ("GET", "/branding/geekweek.svg", "anyone"),
    ("POST", "/api/community/sign-ups", "anyone"), ("GET", "/api/community/sign-ups", "admin"),
    ("GET", "/api/community/sign-ups/r1", "anyone"), ("GET", "/auth/github/start?return=/join.html", "anyone"), ("GET", "/auth/github/callback?code=c&state=" + "s" * 43, "anyone"),
    ("POST", "/auth/sign-out", "anyone"), ("GET", "/api/session", "anyone"),
    ("POST", "/api/community/sign-ups/r1/approve", "admin"), ("POST", "/api/community/sign-ups/r1/reject", "admin"),
    ("GET", "/api/people/GW-000001", "anyone"), ("GET", "/ops", "anyone"),
    ("GET", f"/api/contests/{BUG}/operations", "admin"), ("POST", "/api/people/GW-000001/memberships", "admin"),
    ("GET", "/api/seasons", "anyone"), ("GET", "/api/seasons/2026/standings", "anyone"), ("GET", "/seasons/2026", "anyone"),
    ("GET", "/api/seasons/2026/operations", "admin"), ("GET", "/api/hosts", "anyone"), ("GET", "/people/GW-000001", "anyone"),
    ("GET", f"/api/contests/{CAMP}/votes/video", "anyone"), ("POST", f"/api/contests/{CAMP}/votes/video/entries", "participant"),
    ("PUT", f"/api/contests/{CAMP}/votes/video/ballot", "anyone"), ("GET", f"/api/contests/{CAMP}/votes/video/ballots", "admin"),
    ("POST", f"/api/contests/{CAMP}/votes/video/ballots/GW-000001/void", "admin"),
    ("GET", f"/api/contests/{CAMP}/certificates", "admin"), ("POST", f"/api/contests/{CAMP}/certificates", "admin"),
    ("GET", "/api/certificates/" + "0" * 32, "anyone"), ("GET", "/api/certificates/" + "0" * 32 + "/qr.svg?origin=http://hall:8080", "anyone"),
    ("GET", "/certificates/" + "0" * 32, "anyone"),
]


def route_table():
    """(method, pattern) of every route gateway/api/route_list.cpp declares."""
    import re
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "gateway", "api", "route_list.cpp"), encoding="utf-8") as f:
        return re.findall(r'\{"(GET|POST|PUT|DELETE|PATCH)", "([^"]+)"', f.read())


def route_cases():
    """The same hostile mutations on every route: they are refused by the edge, before any handler."""
    cases = []
    for method, target, who in ROUTES:
        path, _, query = target.partition("?")
        head, _, last = path.rpartition("/")
        bad_tail = (head + "/" + last + "%ff") if last else "/%ff"
        cases += [
            Case(f"{method} {target}: a byte that is not UTF-8 in the path", method, bad_tail, 400, "bad_target", names="path"),
            Case(f"{method} {target}: an overlong '/' in the path", method, (head + "/%c0%af" + last) if last else "/%c0%af", 400,
                 "bad_target", names="path"),
            Case(f"{method} {target}: a line feed in the path", method, (head + "/" + last + "%0a") if last else "/%0a", 400,
                 "bad_target", names="path"),
            Case(f"{method} {target}: a byte that is not UTF-8 in the query", method, path + "?board=%fe", 400, "bad_target",
                 names="query.board"),
            Case(f"{method} {target}: a query key given twice", method, path + "?limit=1&limit=2", 400, "bad_target",
                 names="query.limit"),
            Case(f"{method} {target}: a bad %-escape", method, path + "?x=%zz", 400, "bad_target", names="query.x"),
            Case(f"{method} {target}: a method it does not take", "PATCH", target, 405, "method_not_allowed"),
            Case(f"{method} {target}: a header value that is not UTF-8", method, target, 400, "bad_header",
                 headers={"X-Anything": b"\xff\xfe"}, names="x-anything"),
            Case(f"{method} {target}: Authorization sent twice", method, target, 400, "bad_header",
                 headers=[("Authorization", "Bearer a"), ("Authorization", "Bearer b")], names="authorization"),
        ]
        if who == "admin":
            cases.append(Case(f"{method} {target}: a judge's token, deeply nested", method, target, 403, "forbidden",
                              headers={**JUDGE, **JSON}, body=nested(100000) if method != "GET" else b""))
        if who in ("admin", "judge"):
            for label, value in [("no token", None), ("a wrong token", "Bearer wrong"), ("the token with a suffix", f"Bearer {TOKEN}x"),
                                 ("the token under another scheme", f"Basic {TOKEN}"), ("the token without a scheme", TOKEN),
                                 ("a token that only starts like it", f"Bearer {TOKEN[:-1]}"), ("an empty bearer", "Bearer ")]:
                headers = {**JSON, **({"Authorization": value} if value is not None else {})}
                cases.append(Case(f"{method} {target}: {label}", method, target, 401, "unauthorized", headers=headers,
                                  body=nested(100000) if method != "GET" else b""))
            cases.append(Case(f"{method} {target}: over the body limit", method, target, 413, "payload_too_large",
                              headers={**ADMIN, **JSON}, body=b"x" * (9 << 20)))
        if who == "anyone" and method == "GET":
            cases.append(Case(f"{method} {target}: a body on a read", method, target, 413, "payload_too_large",
                              body=b"x" * 8192))
    cases += [Case(f"unknown contest on {t}", m, t.replace(BUG, "mars").replace(REPRO, "mars").replace(CAMP, "mars"), 404,
                   "unknown_contest", headers=ADMIN) for m, t, _ in ROUTES if "/api/contests/" in t]
    return cases


def body_cases():
    """Bodies of the JSON and CSV routes: wrong types, nesting, numbers, duplicates, bad text."""
    adjustments = f"/api/contests/{BUG}/adjustments"
    verdict = f"/api/contests/{REPRO}/submissions/s1/verdict"
    scores = f"/api/contests/{CAMP}/components/homework"
    teams, people = f"/api/contests/{BUG}/teams", f"/api/contests/{BUG}/participants"
    good = {"participant": "eva", "points": 5, "reason": "bonus"}
    cases = []

    def adjustment(name, change, field):
        document = {**good, **change}
        cases.append(Case(f"adjustment: {name}", "POST", adjustments, 400, "bad_field", headers={**ADMIN, **JSON},
                          body=json.dumps(document), names=field))

    for value in ["5", None, True, [5], {"n": 5}, 1.234, 1e300, -1e300, 6e6, -6e6]:
        adjustment(f"points {json.dumps(value)}", {"points": value}, "points")
    for value in [7, None, ["eva"], {"id": "eva"}, "nobody", ""]:
        adjustment(f"participant {json.dumps(value)}", {"participant": value}, "participant")
    for value in [7, None, "", "x" * 501, ["r"]]:
        adjustment(f"reason {json.dumps(value)[:20]}", {"reason": value}, "reason")
    for value in [5, "a b", "x" * 65, "../x", ""]:
        adjustment(f"id {json.dumps(value)[:20]}", {"id": value}, "id")
    for value in [5, "a b", "x" * 65, "<script>"]:
        adjustment(f"actor {json.dumps(value)[:20]}", {"actor": value}, "actor")
    raw = [("nested 100,000 deep", nested(100000)), ("nested 33 deep", '{"a":' * 33 + "1" + "}" * 33),
           ("not JSON", "{participant:"), ("a duplicate key", '{"participant":"eva","points":5,"points":500,"reason":"r"}'),
           ("a string that is not UTF-8", b'{"participant":"eva","points":5,"reason":"\xff"}'),
           ("a lone surrogate", '{"participant":"eva","points":5,"reason":"\\ud800"}'), ("a number beyond range", '{"points":1e999}'),
           ("an array", "[1,2]"), ("a string", '"eva"'), ("empty", "")]
    for name, text in raw:
        for target in [adjustments, verdict]:
            cases.append(Case(f"{target.rsplit('/', 1)[1]}: {name}", "POST", target, 400, "malformed_json",
                              headers={**ADMIN, **JSON}, body=text, names="(body)"))
    cases.append(Case("adjustment: text/plain", "POST", adjustments, 415, "unsupported_media_type",
                      headers={**ADMIN, "Content-Type": "text/plain"}, body=json.dumps(good)))
    for change, field in [({"accepted": "yes"}, "accepted"), ({"accepted": 1}, "accepted"), ({"accepted": None}, "accepted"),
                          ({"accepted": True}, "measured"), ({"accepted": True, "measured": "0.76"}, "measured"),
                          ({"accepted": True, "measured": [0.76]}, "measured"), ({"accepted": False}, "reason"),
                          ({"accepted": False, "reason": 5}, "reason"), ({"accepted": True, "measured": 0.7, "actor": 9}, "actor")]:
        cases.append(Case(f"verdict: {json.dumps(change)}", "POST", verdict, 400, "bad_field", headers={**ADMIN, **JSON},
                          body=json.dumps(change), names=field))
    for name, text in [("a string", '{"lin": "ten"}'), ("infinity as text", '{"lin": "inf"}'), ("NaN as text", '{"lin": "nan"}'),
                       ("above max", '{"lin": 101}'), ("negative", '{"lin": -1}'), ("three decimals", '{"lin": 1.234}'),
                       ("an unknown participant", '{"nobody": 5}'), ("null", '{"lin": null}'), ("an object", '{"lin": {"x": 1}}'),
                       ("no rows", "{}"), ("a duplicate key", '{"lin": 5, "lin": 6}'), ("nested", nested(50))]:
        cases.append(Case(f"scores: {name}", "PUT", scores, 400, "invalid_rows", headers={**ADMIN, **JSON}, body=text))
    for name, text in [("not UTF-8", b"participant,points\nlin,5\nwang,\xe4\xba\n"), ("an unknown column", "participant,score\nlin,5\n"),
                       ("a stray quote", 'participant,points\nl"in,5\n'), ("an open quote", 'participant,points\n"lin,5\n'),
                       ("too many fields", "participant,points\nlin,5,6\n"), ("empty", ""), ("only a BOM", "\ufeff")]:
        cases.append(Case(f"scores CSV: {name}", "PUT", scores, 400, "invalid_rows", headers={**ADMIN, **CSV}, body=text))
    for target in [teams, people]:
        kind = target.rsplit("/", 1)[1]
        for name, text in [("not UTF-8", b"id,name\nx,\xc3\x28\n"), ("a JSON object", "{}"), ("nested", nested(40)),
                           ("rows of the wrong type", "[1, \"two\", null]"), ("a duplicate key", '[{"id":"a","id":"b"}]'),
                           ("ids with spaces", '[{"id":"a b","name":"A","kind":"city","teams":[]}]'),
                           ("a name too long", json.dumps([{"id": "z", "name": "x" * 201, "kind": "city"}])),
                           ("no rows", "[]")]:
            content = CSV if name == "not UTF-8" else JSON
            cases.append(Case(f"{kind}: {name}", "PUT", target, 400, "invalid_rows", headers={**ADMIN, **content}, body=text))
        if kind == "participants":
            for person in ["not an id", "<b>GW-1</b>", "GW-" + "1" * 40, 7]:
                cases.append(Case(f"participants: a person of {json.dumps(person)[:20]}", "PUT", target, 400, "invalid_rows",
                                  headers={**ADMIN, **JSON}, names="person",
                                  body=json.dumps([{"id": "zed", "name": "Zed", "github": "zed", "person": person}])))
        cases.append(Case(f"{kind}: application/xml", "PUT", target, 415, "unsupported_media_type",
                          headers={**ADMIN, "Content-Type": "application/xml"}, body="<x/>"))
    for target in [f"/api/contests/{BUG}/participants/alice/disqualify", f"/api/contests/{BUG}/freeze",
                   f"/api/contests/{BUG}/participants/alice/tokens"]:
        cases.append(Case(f"{target.rsplit('/', 1)[1]}: a body that is not an object", "POST", target, 400, "malformed_json",
                          headers={**ADMIN, **JSON}, body="[]", names="(body)"))
        cases.append(Case(f"{target.rsplit('/', 1)[1]}: a reason of the wrong type", "POST", target, 400, "bad_field",
                          headers={**ADMIN, **JSON}, body='{"reason": 5}', names="reason"))
    cases.append(Case("disqualify: no reason", "POST", f"/api/contests/{BUG}/participants/alice/disqualify", 400, "bad_field",
                      headers={**ADMIN, **JSON}, body="{}", names="reason"))
    cases.append(Case("tokens for nobody", "POST", f"/api/contests/{BUG}/participants/nobody/tokens", 404, "unknown_participant",
                      headers=ADMIN))
    cases.append(Case("revoke tokens of nobody", "DELETE", f"/api/contests/{BUG}/participants/nobody/tokens", 404,
                      "unknown_participant", headers=ADMIN))
    cases.append(Case("scores for an unknown component", "PUT", f"/api/contests/{CAMP}/components/nope", 404, "unknown_component",
                      headers={**ADMIN, **JSON}, body='{"lin": 5}'))
    reveal = f"/api/contests/{BUG}/reveal"
    for body, field in [('{"action": "dance"}', "action"), ('{"action": 5}', "action"), ("{}", "action"),
                        ('{"action": "start", "rows": 0}', "rows"), ('{"action": "start", "rows": 1.5}', "rows"),
                        ('{"action": "start", "rows": "3"}', "rows"), ('{"action": "start", "board": ["x"]}', "board"),
                        ('{"action": "auto", "pace_seconds": 1e300}', "pace_seconds"), ('{"action": "next", "actor": "x"}', "actor")]:
        cases.append(Case(f"reveal: {body}", "POST", reveal, 400, "bad_field", headers={**ADMIN, **JSON}, body=body, names=field))
    cases.append(Case("reveal: nested", "POST", reveal, 400, "malformed_json", headers={**ADMIN, **JSON}, body=nested(100000),
                      names="(body)"))
    cases.append(Case("reveal: a step with no reveal running", "POST", reveal, 409, "reveal_refused", headers={**ADMIN, **JSON},
                      body='{"action": "next"}', names="start one first"))
    cases.append(Case("reveal: a board the contest lacks", "POST", reveal, 409, "reveal_refused", headers={**ADMIN, **JSON},
                      body='{"action": "start", "board": "component:mars"}', names="board"))
    sign_ups = "/api/community/sign-ups"
    for body, field in [("{}", "name"), ('{"name": "x"}', "github"), ('{"name": 5, "github": "a"}', "name"),
                        ('{"name": "x", "github": "-a"}', "github"), ('{"name": "x", "gitee": "a b"}', "gitee"),
                        ('{"name": "x", "github": "a", "points": 1}', "points"), ('{"name": "x\\u0000", "github": "a"}', "name"),
                        ('{"name": "' + "长" * 65 + '", "github": "a"}', "name"), ('{"name": "x", "github": "a", "city": ["a"]}', "city"),
                        ('{"name": "x", "github": "a", "": 1}', "(body)"), ("[1]", "(body)"), ('"x"', "(body)")]:
        cases.append(Case(f"sign-up: {body[:60]}", "POST", sign_ups, 400, "bad_field" if body.startswith("{") else "malformed_json",
                          headers=JSON, body=body, names=field))
    moves = "/api/people/GW-000001/memberships"
    for body, field in [("{}", "kind"), ('{"kind": "planet", "chapter": "x"}', "kind"), ('{"kind": "city"}', "chapter"),
                        ('{"kind": "city", "chapter": ""}', "chapter"), ('{"kind": "city", "chapter": "' + "长" * 65 + '"}', "chapter"),
                        ('{"kind": "city", "chapter": "a\\u0007"}', "chapter"), ('{"kind": "city", "chapter": 7}', "chapter"),
                        ('{"kind": "city", "chapter": "x", "since": "soon"}', "since"),
                        ('{"kind": "city", "chapter": "x", "since": "2999-01-01T00:00:00Z"}', "since"),
                        ('{"kind": "city", "chapter": "x", "points": 5}', "points"), ('{"kind": "city", "chapter": "x", "reason": []}', "reason")]:
        cases.append(Case(f"move: {body[:60]}", "POST", moves, 400, "bad_field", headers={**ADMIN, **JSON}, body=body, names=field))
    cases.append(Case("move: not JSON", "POST", moves, 400, "malformed_json", headers={**ADMIN, **JSON}, body="{kind", names="(body)"))
    cases.append(Case("move: someone who is not a member", "POST", "/api/people/GW-999999/memberships", 404, "unknown_person",
                      headers={**ADMIN, **JSON}, body='{"kind": "city", "chapter": "x"}', names="GW-999999"))
    cases.append(Case("move: not a community id", "POST", "/api/people/alice/memberships", 404, "unknown_person",
                      headers={**ADMIN, **JSON}, body='{"kind": "city", "chapter": "x"}', names="person"))
    cases.append(Case("sign-up: nested (within its 4 KiB)", "POST", sign_ups, 400, "malformed_json", headers=JSON, body=nested(1000), names="(body)"))
    cases.append(Case("sign-up: over its 4 KiB", "POST", sign_ups, 413, "payload_too_large", headers=JSON, body=nested(100000)))
    cases.append(Case("sign-up: not JSON", "POST", sign_ups, 415, "unsupported_media_type", headers=CSV, body="name\nx"))
    cases.append(Case("sign-up: a duplicate key", "POST", sign_ups, 400, "malformed_json", headers=JSON,
                      body='{"name": "x", "name": "y", "github": "a"}', names="name"))
    for target, code in [(f"{sign_ups}/r999/approve", "unknown_sign_up"), (f"{sign_ups}/x1/approve", "unknown_sign_up"),
                         (f"{sign_ups}/r/reject", "unknown_sign_up"), (f"{sign_ups}/r1%20/reject", "unknown_sign_up")]:
        cases.append(Case(f"decision on {target}", "POST", target, 404, code, headers=ADMIN, names="request"))
    cases.append(Case("verdict for an unknown submission", "POST", f"/api/contests/{REPRO}/submissions/s999/verdict", 404,
                      "unknown_submission", headers={**ADMIN, **JSON}, body='{"accepted": false, "reason": "no"}'))
    return cases


def query_cases():
    s = f"/api/contests/{BUG}"
    rows = [
        (f"{s}/standings?limit=0", 400, "bad_query", "limit"), (f"{s}/standings?limit=-1", 400, "bad_query", "limit"),
        (f"{s}/standings?limit=1e3", 400, "bad_query", "limit"), (f"{s}/standings?limit=99999999999999999999", 400, "bad_query", "limit"),
        (f"{s}/standings?offset=-5", 400, "bad_query", "offset"), (f"{s}/standings?format=xml", 400, "bad_query", "format"),
        (f"{s}/standings?board=", 404, "unknown_board", "board"), (f"{s}/standings?board=teams:mars", 404, "unknown_board", "board"),
        (f"{s}/events?after=-1", 400, "bad_query", "after"), (f"{s}/events?after=1-2-3", 400, "bad_query", "after"),
        (f"{s}/events?limit=10001", 400, "bad_query", "limit"), (f"{s}/history", 400, "bad_query", "member"),
        (f"{s}/history?member=nobody", 404, "unknown_member", "nobody"), (f"{s}/history?board=nope&member=alice", 404, "unknown_board", "nope"),
        (f"{s}/participants/nobody", 404, "unknown_participant", "nobody"),
        (f"{s}/participants/%E4%B8%8A%E6%B5%B7", 404, "unknown_participant", "上海"),
        ("/..%2f..%2fetc%2fpasswd", 404, "not_found", None), ("/%2e%2e", 404, "not_found", None), ("/.env", 404, "not_found", None),
        ("/index.html%00.js", 400, "bad_target", "path"), ("/api/contests/x/standings/extra", 404, "not_found", None),
        ("/ws", 426, "upgrade_required", "websocket"), ("relative/path", 400, "bad_target", "path"),
        (f"{s}/qr.svg", 400, "bad_query", "origin"), (f"{s}/qr.svg?origin=javascript:alert(1)", 400, "bad_query", "origin"),
        (f"{s}/qr.svg?origin=http://a.org/evil", 400, "bad_query", "origin"),
        (f"{s}/qr.svg?origin=http://user@a.org", 400, "bad_query", "origin"),
        (f"{s}/qr.svg?origin=http://" + "a" * 300, 400, "bad_query", "origin"),
        (f"{s}/qr.svg?origin=http://%E4%B8%8A.org", 400, "bad_query", "origin"),
    ]
    cases = [Case(f"GET {t}", "GET", t, status, error, names=names) for t, status, error, names in rows]
    # The console's reads, with a judge's token.
    judged = [
        (f"{s}/explain", 400, "bad_query", "pr or login"), (f"{s}/explain?pr=x&login=y", 400, "bad_query", "pr or login"),
        (f"{s}/explain?pr=https://example.org/a/b/pull/1", 400, "bad_query", "pr"),
        (f"{s}/explain?pr=https://github.com/a/b/pull/0", 400, "bad_query", "pr"),
        (f"{s}/explain?pr=https://github.com/a/b/pull/1x", 400, "bad_query", "pr"),
        (f"{s}/explain?pr=https://github.com/a/b/pulls/1", 400, "bad_query", "pr"),
        (f"{s}/explain?pr=https://github.com/a%20b/c/pull/1", 400, "bad_query", "pr"),
        (f"{s}/explain?pr=https://github.com/a/b/pull/99999999999999999999", 400, "bad_query", "pr"),
        (f"{s}/explain?login=alice&host=bitbucket", 400, "bad_query", "host"),
        (f"{s}/explain?login=" + "x" * 101, 400, "bad_query", "login"),
        (f"/api/contests/{REPRO}/submissions?state=lost", 400, "bad_query", "state"),
        (f"{s}/cells", 400, "bad_query", "ids"), (f"{s}/cells?ids=", 400, "bad_query", "ids"),
        (f"{s}/cells?ids=alice,,bob", 400, "bad_query", "ids"), (f"{s}/cells?ids=a%20b", 400, "bad_query", "ids"),
        (f"{s}/cells?ids=" + ",".join(f"p{i}" for i in range(201)), 400, "bad_query", "ids"),
        (f"{s}/cells?ids=../alice", 400, "bad_query", "ids"), (f"{s}/cells?ids=alice&totals=yes", 400, "bad_query", "totals"),
        (f"{s}/find", 400, "bad_query", "q"), (f"{s}/find?q=", 400, "bad_query", "q"), (f"{s}/find?q=" + "x" * 101, 400, "bad_query", "q"),
        (f"{s}?participants=2", 400, "bad_query", "participants"),
        ("/branding/secret.txt", 404, "not_found", "logo"), ("/branding/..%2fgeekweek.json", 404, "not_found", "logo"),
        ("/branding/.geekweek.svg", 404, "not_found", "logo"), ("/branding/geekweek.SVG", 404, "not_found", "logo"),
        (f"/api/contests/{REPRO}/submissions?q=" + "x" * 201, 400, "bad_query", "q"),
    ]
    cases += [Case(f"GET {t[:80]}", "GET", t, status, error, headers=JUDGE, names=names) for t, status, error, names in judged]
    # The operations figures, with the admin token.
    figures = [
        (f"{s}/operations?kind=planet", "kind"), (f"{s}/operations?kind=", "kind"), (f"{s}/operations?kind=CITY", "kind"),
        (f"{s}/operations?format=xml", "format"), (f"{s}/operations?format=csv&table=people", "table"),
        (f"{s}/operations?table=" + "x" * 300, "table"),
    ]
    cases += [Case(f"GET {t[:80]}", "GET", t, 400, "bad_query", headers=ADMIN, names=names) for t, names in figures]
    seasons = [("/api/seasons/2026/standings?board=teams", 404, "unknown_board", "board"),
               ("/api/seasons/2026/standings?board=chapters:planet", 404, "unknown_board", "board"),
               ("/api/seasons/2026/standings?format=xml", 400, "bad_query", "format"),
               ("/api/seasons/2026/standings?limit=0", 400, "bad_query", "limit"),
               ("/api/seasons/2026/standings?offset=-1", 400, "bad_query", "offset"),
               ("/api/seasons/1999/standings", 404, "unknown_season", "1999"),
               ("/api/seasons/" + "x" * 300 + "/standings", 404, "unknown_season", "season")]
    cases += [Case(f"GET {t[:80]}", "GET", t, status, error, names=names) for t, status, error, names in seasons]
    season_figures = [("/api/seasons/2026/operations?kind=planet", 400, "bad_query", "kind"),
                      ("/api/seasons/2026/operations?format=pdf", 400, "bad_query", "format"),
                      ("/api/seasons/2026/operations?table=daily%20", 400, "bad_query", "table"),
                      ("/api/seasons/1999/operations", 404, "unknown_season", "1999"),
                      ("/api/seasons/" + "y" * 300 + "/operations", 404, "unknown_season", "season")]
    cases += [Case(f"GET {t[:80]}", "GET", t, status, error, headers=ADMIN, names=names) for t, status, error, names in season_figures]
    r = f"/api/contests/{REPRO}/submissions"
    cases += [
        Case("claim: an unknown submission", "POST", f"{r}/s999/claim", 404, "unknown_submission", headers=JUDGE, names="s999"),
        Case("claim: a submission id that is not UTF-8", "POST", f"{r}/s%ff/claim", 400, "bad_target", headers=JUDGE, names="path"),
        Case("verdict: a judge names another actor", "POST", f"{r}/s1/verdict", 400, "bad_field", headers={**JUDGE, **JSON},
             body=json.dumps({"accepted": True, "measured": 0.76, "actor": "admin"}), names="actor"),
        Case("finalize: before the end", "POST", f"/api/contests/{BUG}/finalize", 409, "not_ended", headers=ADMIN, names="ends at"),
        Case("finalize: a body that is not JSON", "POST", f"/api/contests/{BUG}/finalize", 400, "malformed_json",
             headers={**ADMIN, **JSON}, body="{reason", names="(body)"),
        Case("teams dry run: a bad row", "PUT", f"/api/contests/{BUG}/teams?dry_run=1", 400, "invalid_rows",
             headers={**ADMIN, **CSV}, body="id,name,kind\nx,X,planet\n", names="line 2"),
    ]
    return cases


def submission_cases(token):
    target = f"/api/contests/{REPRO}/submissions"
    me = {"Authorization": "Bearer " + token, **JSON}
    good = {"model": "resnet50", "metrics": {"top1": 0.76}, "evidence_url": "https://example.org/run"}
    cases = [Case("submission: no token", "POST", target, 401, "unauthorized", headers=JSON, body=nested(500000)),
             Case("submission: a wrong token, deeply nested", "POST", target, 401, "unauthorized",
                  headers={"Authorization": "Bearer lbt_nope", **JSON}, body=nested(500000)),
             Case("submission: the admin token is no participant's", "POST", target, 401, "unauthorized",
                  headers={**ADMIN, **JSON}, body=json.dumps(good)),
             Case("submission: nested", "POST", target, 400, "malformed_json", headers=me, body=nested(100), names="(body)")]
    for change, field in [({"model": 5}, "model"), ({"model": "nope"}, "model"), ({"model": ["resnet50"]}, "model"),
                          ({"metrics": "0.76"}, "metrics"), ({"metrics": {"top1": "0.76"}}, "metrics.top1"),
                          ({"metrics": {"f1": 0.5}}, "metrics.top1"), ({"metrics": {"top1": None}}, "metrics.top1"),
                          ({"metrics": {f"m{i}": 1 for i in range(21)}}, "metrics"), ({"metrics": {"top1": 0.7, "": 1}}, "metrics"),
                          ({"evidence_url": 5}, "evidence_url"), ({"evidence_url": "ftp://x"}, "evidence_url"),
                          ({"evidence_url": "https://" + "x" * 600}, "evidence_url"), ({"evidence_url": "javascript:alert(1)"}, "evidence_url")]:
        cases.append(Case(f"submission: {json.dumps(change)[:50]}", "POST", target, 400, "bad_field", headers=me,
                          body=json.dumps({**good, **change}), names=field))
    homework = f"/api/contests/{CAMP}/homework"
    cases += [
        Case("hand-in: no token", "POST", homework, 401, "unauthorized", headers=JSON, body=nested(500000)),
        Case("hand-in: a wrong token, deeply nested", "POST", homework, 401, "unauthorized",
             headers={"Authorization": "Bearer lbt_nope", **JSON}, body=nested(500000)),
        Case("hand-in: the admin token is no participant's", "POST", homework, 401, "unauthorized", headers={**ADMIN, **JSON},
             body='{"component": "homework", "assignment": "w1", "url": "https://x.org"}'),
        Case("my homework: no token", "GET", homework + "/mine", 401, "unauthorized"),
        Case("homework queue: a state that is not one", "GET", homework + "?state=lost", 400, "bad_query", headers=JUDGE, names="state"),
        Case("score: a component that takes no homework", "POST", homework + "/homework:w1:alice/score", 404, "unknown_hand_in",
             headers={**JUDGE, **JSON}, body='{"points": 5}', names="hand_in"),
        Case("score: not a hand-in id", "POST", homework + "/a:b/score", 404, "unknown_hand_in", headers={**JUDGE, **JSON},
             body='{"points": 5}', names="hand_in"),
        Case("score: an id that is not UTF-8", "POST", homework + "/a%ff:b:c/score", 400, "bad_target", headers={**JUDGE, **JSON},
             body='{"points": 5}', names="path"),
        Case("claim: not a hand-in id", "POST", homework + "/a:b/claim", 404, "unknown_hand_in", headers=JUDGE, names="hand_in"),
        Case("claim: a component that takes no homework", "POST", homework + "/homework:w1:alice/claim", 404, "unknown_hand_in", headers=JUDGE),
        Case("claim: nothing handed in", "POST", homework + "/advanced:part-1:nobody/claim", 404, "unknown_hand_in", headers=JUDGE,
             names="hand_in"),
        Case("release: not a hand-in id", "DELETE", homework + "/x/claim", 404, "unknown_hand_in", headers=JUDGE, names="hand_in"),
    ]
    vote = f"/api/contests/{CAMP}/votes/video"
    ballot = '{"entries": ["lin"]}'
    forged = {"Cookie": "lb_session=" + "F" * 43, **JSON}
    cases += [
        Case("vote: a judged component is no vote", "GET", f"/api/contests/{CAMP}/votes/homework", 404, "unknown_vote", names="component"),
        Case("vote: a component that does not exist", "GET", f"/api/contests/{CAMP}/votes/nope", 404, "unknown_vote", names="component"),
        Case("entry: no token", "POST", vote + "/entries", 401, "unauthorized", headers=JSON, body=nested(500000)),
        Case("entry: a wrong token", "POST", vote + "/entries", 401, "unauthorized", headers={"Authorization": "Bearer lbt_nope", **JSON},
             body='{"url": "https://x.org", "title": "t"}'),
        Case("entry: to a judged component", "POST", f"/api/contests/{CAMP}/votes/homework/entries", 401, "unauthorized", headers=JSON,
             body='{"url": "https://x.org", "title": "t"}'),
        Case("ballot: nobody signed in", "PUT", vote + "/ballot", 401, "unauthorized", headers=JSON, body=ballot,
             names="sign in"),
        Case("ballot: a forged session", "PUT", vote + "/ballot", 403, "cross_site", headers={**forged, "Origin": "https://elsewhere.example"},
             body=ballot),
        Case("ballot: deeply nested", "PUT", vote + "/ballot", 400, "malformed_json", headers=forged, body=nested(100), names="(body)"),
        Case("ballot: not an object", "PUT", vote + "/ballot", 400, "malformed_json", headers=forged, body='["lin"]', names="(body)"),
        Case("ballot: past the body limit", "PUT", vote + "/ballot", 413, "payload_too_large", headers=forged,
             body='{"entries": ["' + "x" * 5000 + '"]}'),
        Case("ballot: for a judged component", "PUT", f"/api/contests/{CAMP}/votes/homework/ballot", 404, "unknown_vote", headers=forged,
             body=ballot, names="component"),
        Case("ballots: for a judged component", "GET", f"/api/contests/{CAMP}/votes/homework/ballots", 404, "unknown_vote", headers=ADMIN),
        Case("void: no reason", "POST", vote + "/ballots/GW-000001/void", 400, "bad_field", headers={**ADMIN, **JSON}, body="{}", names="reason"),
        Case("void: nobody's ballot", "POST", vote + "/ballots/GW-000001/void", 404, "unknown_ballot", headers={**ADMIN, **JSON},
             body='{"reason": "test"}', names="voter"),
        Case("void: not a community id", "POST", vote + "/ballots/a:b/void", 404, "unknown_ballot", headers={**ADMIN, **JSON},
             body='{"reason": "test"}', names="voter"),
    ]
    certificate = "/api/certificates/" + "0" * 32
    cases += [
        Case("certificate: nobody was given this id", "GET", certificate, 404, "unknown_certificate", names="certificate"),
        Case("certificate: not an id", "GET", "/api/certificates/..%2F..%2Fetc", 404, "unknown_certificate", names="certificate"),
        Case("certificate: an id in upper case", "GET", "/api/certificates/" + "A" * 32, 404, "unknown_certificate"),
        Case("certificate QR: no origin", "GET", certificate + "/qr.svg", 400, "bad_query", names="origin"),
        Case("certificate QR: an origin with a path", "GET", certificate + "/qr.svg?origin=https://x.org/evil", 400, "bad_query", names="origin"),
        Case("certificate QR: not an id", "GET", "/api/certificates/x/qr.svg?origin=https://x.org", 404, "unknown_certificate"),
        Case("certificates: issued before the contest is final", "POST", f"/api/contests/{CAMP}/certificates", 409, "not_final",
             headers={**ADMIN, **JSON}, body=nested(100)),
    ]
    return cases


def webhook_cases():
    cases = []
    payload = github_pr(number=9001, repo="example-org/framework")
    body, headers = github_delivery(GITHUB_SECRET, payload)
    signature = headers["X-Hub-Signature-256"]
    variants = [
        ("a bad signature", {**headers, "X-Hub-Signature-256": "sha256=" + "0" * 64}, 401, "signature"),
        ("the signature in upper case", {**headers, "X-Hub-Signature-256": signature.upper()}, 401, "signature"),
        ("the signature without its prefix", {**headers, "X-Hub-Signature-256": signature[7:]}, 401, "signature"),
        ("no signature", {k: v for k, v in headers.items() if k != "X-Hub-Signature-256"}, 401, "signature"),
        ("text/plain", {**headers, "Content-Type": "text/plain"}, 415, "application/json"),
        ("an event header that is not UTF-8", {**headers, "X-GitHub-Event": b"pull_\xff"}, 400, "x-github-event"),
        ("a delivery id that is not UTF-8", {**headers, "X-GitHub-Delivery": b"\xe9"}, 400, "x-github-delivery"),
        ("a delivery id with a slash", {**headers, "X-GitHub-Delivery": "../../x"}, 400, "x-github-delivery"),
    ]
    for name, hdrs, status, names in variants:
        cases.append(Case(f"github: {name}", "POST", "/hooks/github", status, None, headers=hdrs, body=body, names=names))
    repeated = list(headers.items()) + [("X-Hub-Signature-256", signature)]
    cases.append(Case("github: the signature header twice", "POST", "/hooks/github", 400, "bad_header", headers=repeated, body=body,
                      names="x-hub-signature-256"))
    for name, text in [("nested", nested(5000)), ("not JSON", "{"), ("a number for pull_request", '{"action":"closed","pull_request":5}')]:
        raw = text.encode()
        hdrs = {**headers, "X-Hub-Signature-256": "sha256=" + hmac.new(GITHUB_SECRET.encode(), raw, hashlib.sha256).hexdigest()}
        cases.append(Case(f"github: signed but {name}", "POST", "/hooks/github", 400, None, headers=hdrs, body=raw))
    gitee_body, gitee_headers = gitee_delivery(GITEE_SECRET, gitee_pr(number=9002))
    for name, change, names in [
        ("a leading zero on the timestamp", {"X-Gitee-Timestamp": "0" + gitee_headers["X-Gitee-Timestamp"]}, "x-gitee-timestamp"),
        ("a timestamp that is not milliseconds", {"X-Gitee-Timestamp": "12e3"}, "x-gitee-timestamp"),
        ("a timestamp from 1970", {"X-Gitee-Timestamp": "1"}, "x-gitee-timestamp"),
        ("a token that does not verify", {"X-Gitee-Token": "AAAA"}, "x-gitee-token"),
        ("a bad %-escape in the token", {"X-Gitee-Token": "%zz"}, "x-gitee-token"),
        ("a token that decodes to bytes that are not UTF-8", {"X-Gitee-Token": "%ff%fe"}, "x-gitee-token"),
        ("no token", {"X-Gitee-Token": ""}, "x-gitee-token"),
    ]:
        cases.append(Case(f"gitee: {name}", "POST", "/hooks/gitee", 401, None, headers={**gitee_headers, **change}, body=gitee_body,
                          names=names))
    cases.append(Case("a host that is not in the table", "POST", "/hooks/bitbucket", 404, "unknown_host", headers=headers, body=body,
                      names="host"))
    for host, repo in [("gitcode", "example-org/framework"), ("atomgit", "example-org/kernel"), ("gitlab", "example-org/tools/ci")]:
        mr_body, mr_headers = merge_request_delivery(host, MR_SECRETS[host], merge_request(host, number=9003, repo=repo))
        token = {"gitcode": "X-GitCode-Token", "atomgit": "X-AtomGit-Token", "gitlab": "X-Gitlab-Token"}[host]
        event = {"gitcode": "X-GitCode-Event", "atomgit": "X-AtomGit-Event", "gitlab": "X-Gitlab-Event"}[host]
        # GitLab turns a hook off after four failures: past the credentials it is never answered 4xx.
        refused = 202 if host == "gitlab" else 400
        variants = [
            ("a wrong token", {**mr_headers, token: "wrong"}, mr_body, 401, token.lower()),
            ("no token", {k: v for k, v in mr_headers.items() if k != token}, mr_body, 401, token.lower()),
            ("text/plain", {**mr_headers, "Content-Type": "text/plain"}, mr_body, 415, "application/json"),
            ("an event header that is not UTF-8", {**mr_headers, event: b"Merge\xff"}, mr_body, 400, event.lower()),
            ("no event header", {k: v for k, v in mr_headers.items() if k != event}, mr_body, refused, event.lower()),
            ("not JSON", mr_headers, b"{", refused, "(body)"),
            ("nested", mr_headers, nested(5000).encode(), refused, "(body)"),
            ("no object_attributes", mr_headers, b'{"object_kind":"merge_request"}', refused, "object_attributes"),
            ("a merge without its project", mr_headers, json.dumps({**json.loads(mr_body), "project": 5}).encode(), refused,
             "project.path_with_namespace"),
            ("an iid of zero", mr_headers, json.dumps({**json.loads(mr_body), "object_attributes": {
                **json.loads(mr_body)["object_attributes"], "iid": 0}}).encode(), refused, "object_attributes.iid"),
            ("labels that are not a list", mr_headers, json.dumps({**json.loads(mr_body), "labels": {"title": "bug"}}).encode(),
             refused, "labels"),
        ]
        if host == "gitcode":
            variants.append(("a delivery id with a slash", {**mr_headers, "X-GitCode-Delivery": "../../x"}, mr_body, 400,
                             "x-gitcode-delivery"))
        if host == "gitlab":
            variants.append(("an Idempotency-Key with a slash", {**mr_headers, "Idempotency-Key": "../../x"}, mr_body, 202,
                             "idempotency-key"))
        for name, hdrs, raw, status, names in variants:
            cases.append(Case(f"{host}: {name}", "POST", f"/hooks/{host}", status, None, headers=hdrs, body=raw, names=names))
    atomgit_body, atomgit_headers = merge_request_delivery("atomgit", MR_SECRETS["atomgit"], merge_request("atomgit", number=9004))
    for name, value in [("Basic credentials that do not match", "Basic " + "d3Jvbmc6d3Jvbmc="), ("Basic credentials that are not base64", "Basic %%%"),
                        ("another scheme", "Bearer " + MR_SECRETS["atomgit"])]:
        cases.append(Case(f"atomgit: {name}", "POST", "/hooks/atomgit", 401, None,
                          headers={**{k: v for k, v in atomgit_headers.items() if k != "X-AtomGit-Token"}, "Authorization": value},
                          body=atomgit_body, names="x-atomgit-token"))
    return cases


class HostileInput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        resp = Resp(redis_port(), DB)
        resp.call("FLUSHDB")
        resp.close()
        cls.config = write_config(example_config())
        done = cli("import-prs", "--config", cls.config, "--contest", BUG, "--file",
                   example_prs("geekweek-prs.ndjson"), "--redis", redis_url(DB))
        assert done.returncode == 0, done.stderr
        cls.server = Server(cls.config, redis_url(DB), ENV)
        cls.server.wait_ready()
        cls.host, cls.port = cls.server.base.split("//")[1].split(":")
        cls.port = int(cls.port)
        cls.resp = Resp(redis_port(), DB)
        before = fingerprint(cls.resp)
        status, _, body = cls.request("POST", f"/api/contests/{REPRO}/participants/alice/tokens", ADMIN)
        assert status == 201, body
        cls.token = json.loads(body)["token"]
        # The fingerprint sees a write (here: a token and its audit entry), so "unchanged" means something.
        assert fingerprint(cls.resp) != before

    @classmethod
    def tearDownClass(cls):
        cls.resp.close()
        cls.server.stop()

    @classmethod
    def request(cls, method, target, headers=None, body=b""):
        return http(cls.host, cls.port, method, target, headers, body)

    def alive(self):
        status, _, body = self.request("GET", "/healthz")
        return status == 200 and json.loads(body)["status"] == "ok"

    def run_cases(self, cases):
        before = fingerprint(self.resp)
        for case in cases:
            with self.subTest(case.name):
                status, headers, body = self.request(case.method, case.target, case.headers, case.body)
                self.assertEqual(status, case.status, body[:300])
                self.assertTrue(headers.get("content-type", "").startswith("application/json"), headers)
                answer = json.loads(body)
                if case.error:
                    self.assertEqual(answer.get("error"), case.error, answer)
                    self.assertTrue(answer.get("message") or answer.get("problems"), answer)
                else:
                    self.assertTrue(answer.get("error"), answer)  # webhook answers: {"outcome", "error": why}
                if case.names:
                    self.assertIn(case.names.lower(), json.dumps(answer, ensure_ascii=False).lower())
                self.assertTrue(self.alive(), "the server stopped answering")
                self.assertEqual(fingerprint(self.resp), before, "the store changed")
        return len(cases)

    def test_every_route_of_the_route_table_has_hostile_cases(self):
        import re
        table = route_table()
        self.assertGreater(len(table), 50)
        for method, pattern in table:
            shape = "^" + re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(pattern)) + "$"
            with self.subTest(f"{method} {pattern}"):
                self.assertTrue(any(m == method and re.match(shape, target.split("?")[0]) for m, target, _ in ROUTES),
                                f"{method} {pattern} is in the route table but not in ROUTES: add it and its cases")

    def test_sign_in_answers_hostile_input_with_a_page_in_the_visitors_language(self):
        state = "S" * 43
        pages = [  # (target, status, text the page's reason holds)
            ("/auth/github/start?return=https://elsewhere.example/", 400, "return"),
            ("/auth/github/start?return=//elsewhere.example/", 400, "return"),
            ("/auth/github/start?return=/%5Celsewhere", 400, "return"),
            ("/auth/bitbucket/start", 404, "host"),
            ("/auth/gitee/start", 404, "host"),  # a host of the table without an app in the config
            ("/auth/github/callback?code=abc", 400, "state"),
            ("/auth/github/callback?code=abc&state=short", 400, "state"),
            ("/auth/github/callback?state=" + state, 400, "code"),
            ("/auth/github/callback?code=" + "x" * 3000 + "&state=" + state, 400, "code"),
            ("/auth/github/callback?code=abc&state=" + state, 400, "expired"),           # never issued
            ("/auth/github/callback?error=access_denied&state=" + state, 400, "expired"),
            ("/auth/github/callback?code=%e2%80%ae&state=" + state, 400, "code"),         # not printable ASCII
        ]
        before = fingerprint(self.resp)
        for target, expected, why in pages:
            for language, marker in (("en-US,en;q=0.9", 'lang="en"'), ("zh-CN,zh;q=0.9", 'lang="zh"')):
                with self.subTest(target=target[:80], language=language):
                    status, headers, body = self.request("GET", target, {"Accept-Language": language})
                    body = body.decode("utf-8")
                    self.assertEqual(status, expected, body[:300])
                    self.assertTrue(headers.get("content-type", "").startswith("text/html"), headers)
                    self.assertNotIn("location", headers)
                    self.assertIn(marker, body)
                    if language.startswith("en"):
                        self.assertIn(why, body.lower())
                    self.assertTrue(self.alive())
        self.assertEqual(fingerprint(self.resp), before, "the store changed")
        forged = {"Cookie": "lb_session=" + "F" * 43, "Origin": "https://elsewhere.example", "Content-Type": "application/json"}
        status, _, body = self.request("GET", "/api/session", {"Cookie": "lb_session=%00; lb_session=" + "x" * 5000})
        self.assertIn(status, (200, 400, 431), body[:200])
        status, _, body = self.request("GET", "/api/session", {"Cookie": "lb_session=" + "F" * 43})
        self.assertEqual((status, json.loads(body)["signed_in"]), (200, False))
        for query, (code, field) in (("?contest=no-such-contest", (404, "query.contest")), ("?contest=a&contest=b", (400, "contest")),
                                     ("?contest=%FF", (400, "contest"))):
            with self.subTest(session_query=query):
                status, _, body = self.request("GET", "/api/session" + query)
                self.assertEqual(status, code, body)
                self.assertIn(field, json.loads(body)["message"])
        for method, target in (("POST", "/auth/sign-out"), ("POST", "/api/community/sign-ups"), ("POST", f"/api/contests/{REPRO}/submissions")):
            with self.subTest(cross_site=target):
                status, _, body = self.request(method, target, forged, b'{"name": "X", "github": "x-y"}')
                self.assertEqual((status, json.loads(body)["error"]), (403, "cross_site"), body)
        self.assertEqual(fingerprint(self.resp), before, "the store changed")

    def test_every_route_refuses_hostile_input_at_the_edge(self):
        self.assertGreater(self.run_cases(route_cases()), 250)

    def test_bodies_of_the_wrong_shape_are_refused_whole(self):
        self.assertGreater(self.run_cases(body_cases()), 100)

    def test_queries_and_paths(self):
        self.run_cases(query_cases())

    def test_participant_route_checks_the_token_before_the_body(self):
        self.run_cases(submission_cases(self.token))

    def test_webhooks(self):
        self.run_cases(webhook_cases())

    def test_oversize_and_malformed_requests(self):
        before = fingerprint(self.resp)
        status, _, body = self.request("GET", "/healthz", {"X-Big": "x" * 20000})
        self.assertEqual((status, json.loads(body)["error"]), (431, "header_too_large"))
        status, _, body = self.request("GET", "/" + "a" * 20000)
        self.assertEqual(status, 431)
        status, _, body = http(self.host, self.port, "GET", "/healthz", {"Content-Length": "-5"})
        self.assertEqual(status, 400)
        self.assertTrue(self.alive())
        self.assertEqual(fingerprint(self.resp), before)

    def test_gitee_credential_spellings_mint_no_fresh_pair(self):
        body, headers = gitee_delivery(GITEE_SECRET, gitee_pr(number=9100, repo="someone/else"))
        status, _, _ = self.request("POST", "/hooks/gitee", headers, body)
        self.assertEqual(status, 202)  # accepted (ignored: not a contest repository); the pair is now used
        token = headers["X-Gitee-Token"]
        spellings = [token, token.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"),
                     token.replace("=", "%3d"), "%" + token[0].encode().hex() + token[1:]]
        before = fingerprint(self.resp)
        for spelling in spellings:
            with self.subTest(spelling=spelling):
                status, _, answer = self.request("POST", "/hooks/gitee", {**headers, "X-Gitee-Token": spelling}, body)
                self.assertEqual((status, json.loads(answer)["outcome"]), (401, "replayed"))
        self.assertEqual(fingerprint(self.resp), before)

    def test_websocket_messages_of_every_wrong_shape(self):
        ws = WebSocket(self.host, self.port, f"/ws?contest={BUG}&board=participants&limit=5")
        self.assertEqual(ws.status, 101)
        ws.next_json(lambda f: f["type"] == "snapshot")
        before = fingerprint(self.resp)
        messages = [
            ('{"type": 5}', "type"), ('{"type": null}', "type"), ('{"type": ["subscribe"]}', "type"), ('{"type": "nope"}', "type"),
            ('{"type":"subscribe","contest":7}', "contest"), ('{"type":"subscribe","contest":"' + BUG + '","board":{}}', "board"),
            ('{"type":"subscribe","contest":"' + BUG + '","limit":"10"}', "limit"),
            ('{"type":"subscribe","contest":"' + BUG + '","limit":1e300}', "limit"),
            ('{"type":"subscribe","contest":"' + BUG + '","limit":-3}', "limit"),
            ('{"type":"subscribe","contest":"' + BUG + '","me":["x"]}', "me"),
            ('{"type":"subscribe","contest":"' + BUG + '","admin_token":false}', "admin_token"),
            ('{"type":"subscribe","contest":"' + BUG + '","admin_token":"wrong"}', "admin_token"),
            ('{"type":"subscribe","contest":"mars"}', "contest"), ('{"type":"subscribe","contest":"' + BUG + '","board":"x y"}', "board"),
            ('{"type":"subscribe","contest":"' + BUG + '","me":"nobody"}', "me"),
            ('{"type":"subscribe","contest":"' + BUG + '","events":21}', "events"),
            ('{"type":"subscribe","contest":"' + BUG + '","events":"3"}', "events"),
            ('{"type":"subscribe","contest":"' + BUG + '","events":-1}', "events"),
            (nested(100), "nested"), ("[1]", "object"), ("not json", "json"), ('{"type":"resync","type":"subscribe"}', "duplicate"),
            (b'{"type":"\xff"}', "json"),  # sent as a binary message: a text one must be UTF-8 by the protocol
        ]
        for text, field in messages:
            with self.subTest(message=text[:40]):
                ws.send(text, opcode=2 if isinstance(text, bytes) else 1)
                frame = ws.next_json(lambda f: f["type"] == "error")
                self.assertIn(field, frame["message"].lower())
                self.assertTrue(self.alive())
        self.assertEqual(fingerprint(self.resp), before)
        ws.close()
        # A bad byte in the WebSocket's own query is refused at the upgrade.
        refused = WebSocket(self.host, self.port, f"/ws?contest={BUG}&board=%ff")
        self.assertEqual(refused.status, 400)
        refused.close()
        self.assertTrue(self.alive())

    def test_a_flood_of_control_messages_closes_the_viewer_with_a_reason(self):
        ws = WebSocket(self.host, self.port, f"/ws?contest={BUG}&board=participants&limit=5")
        ws.next_json(lambda f: f["type"] == "snapshot")
        for _ in range(200):
            try:
                ws.send('{"type":"resync"}')
            except OSError:
                break
        closed = None
        for _ in range(400):
            opcode, payload = ws.frame()
            if opcode == 8:
                closed = payload
                break
        self.assertIsNotNone(closed, "the flooding viewer was not closed")
        self.assertEqual(int.from_bytes(closed[:2], "big"), 1008)
        self.assertIn(b"too many messages", closed[2:])
        ws.close()
        self.assertTrue(self.alive())

    def test_unknown_paths_add_no_metric_series(self):
        def metric_lines():
            status, _, body = self.request("GET", "/metrics")
            self.assertEqual(status, 200)
            return body.decode().splitlines()
        self.request("GET", "/warm/up")
        metric_lines()
        before = metric_lines()
        import socket
        with socket.create_connection((self.host, self.port)) as s:
            s.settimeout(30)
            # 10,000 requests on one connection, pipelined in batches.
            for batch in range(100):
                s.sendall(b"".join(b"GET /no-such-%d-%d/%%22%%7D HTTP/1.1\r\nHost: t\r\n\r\n" % (batch, i) for i in range(100)))
                seen = 0
                data = b""
                while seen < 100:
                    data += s.recv(1 << 16)
                    seen = data.count(b"HTTP/1.1 ")
                self.assertEqual(data.count(b"HTTP/1.1 404 "), 100)
        after = metric_lines()
        self.assertEqual(len(after), len(before))
        status, _, body = self.request("GET", "/metrics")
        for line in body.decode().splitlines():
            self.assertRegex(line, r'^(# (HELP|TYPE) lb_\w+ .*|lb_\w+(\{(\w+="([^"\\\n]|\\["\\n])*",?)*\})? -?\d+(\.\d+)?)$')


class ConnectionFlood(unittest.TestCase):
    def test_past_the_connection_cap_new_connections_get_503_and_the_server_goes_on(self):
        import socket
        server = Server(write_config(example_config(max_connections=20)), redis_url(DB), ENV)
        try:
            server.wait_ready()
            host, port = server.base.split("//")[1].split(":")
            held = [socket.create_connection((host, int(port))) for _ in range(20)]
            status, _, body = http(host, int(port), "GET", "/healthz")
            self.assertEqual((status, json.loads(body)["error"]), (503, "too_many_connections"))
            for s in held:
                s.close()
            for _ in range(100):  # the server notices the closed connections at its next read
                try:
                    if http(host, int(port), "GET", "/healthz")[0] == 200:
                        break
                except ConnectionError:
                    pass
                import time
                time.sleep(0.05)
            self.assertEqual(http(host, int(port), "GET", "/healthz")[0], 200)
        finally:
            server.stop()
