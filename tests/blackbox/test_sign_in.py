"""Signing in with a code host against a local stand-in of each host's documented OAuth shapes:
the whole flow for GitHub, Gitee, GitCode, AtomGit and GitLab; proven claims that win over a
squatter's unproven request; the session as a participant's key; what an attacker would try
(replays, unissued states, foreign return paths, forged cookies, cross-site writes, a host that
misbehaves); and fair limits per client (a flood of sign-ups and of failed credentials)."""
import hashlib
import hmac
import re
import http.client
import json
import threading
import time
import unittest
import uuid
from urllib.parse import parse_qs, urlencode, urlparse

from harness import Server, iso, redis_cli, redis_url, write_config
from oauth_standin import OAuthStandIn

DB = 62
ADMIN_TOKEN = "sign-in-admin"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
HOSTS = ("github", "gitee", "gitcode", "atomgit", "gitlab")


def config(standin, approval="unless_proven", webhooks=False):
    return {
        "admin_token_env": "LB_ADMIN_TOKEN",
        **({"webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"}}} if webhooks else {}),
        "server": {"trusted_proxies": ["127.0.0.1"],
                   "limits": {"public_writes": {"per_minute": 60, "burst": 10}, "failed_credentials": {"per_minute": 60, "burst": 5}}},
        "community": {"id_prefix": "SIG-", "approval": approval, "max_pending_per_client": 3,
                      "sign_in": {host: standin.app_config(host) for host in HOSTS}},
        "contests": [{
            "id": "repro", "title": "Reproductions", "starts_at": iso(-1), "ends_at": iso(10),
            "repos": ["github:octo-org/models"],
            "teams": [{"id": "sh", "name": "上海", "kind": "city"}],
            "participants": [{"id": "mei", "name": "Mei", "github": "mei-gh", "teams": ["sh"]}],
            "rules": {"reproductions": {"models": [{"id": "vit", "name": "ViT", "points": 90, "metric": "top1", "target": 0.8,
                                                   "tolerance": 0.01}]}}}]}


class Browser:
    """Just enough of a browser: cookies per name, redirects followed by hand, an Origin on writes."""

    def __init__(self, server, address="10.0.0.1"):
        self.server, self.address, self.cookies = server, address, {}
        self.base = server.base
        self.host = self.base.split("//")[1]

    def request(self, method, url, body=None, headers=None):
        parsed = urlparse(url)
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=20)
        sent = {"X-Forwarded-For": self.address, **(headers or {})}
        if parsed.netloc == self.host and self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        path = parsed.path + ("?" + parsed.query if parsed.query else "")
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        if parsed.netloc == self.host:
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    val = rest.split(";")[0]
                    if "Max-Age=0" in value:
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = val
        conn.close()
        return response.status, dict((k.lower(), v) for k, v in response.getheaders()), text

    def sign_in(self, host, return_path="/join.html"):
        status, headers, text = self.request("GET", f"{self.base}/auth/{host}/start?return={return_path}")
        assert status == 302, (status, text)
        authorize = headers["location"]
        status, headers, text = self.request("GET", authorize)
        assert status == 302, (status, text)
        callback = headers["location"]
        return authorize, callback, self.request("GET", callback)

    def json(self, method, path, body=None, origin=True):
        headers = {"Content-Type": "application/json"}
        if origin:
            headers["Origin"] = self.base
        status, _, text = self.request(method, self.base + path, json.dumps(body).encode() if body is not None else None, headers)
        return status, json.loads(text) if text else {}


class SignIn(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        redis_cli(DB, "FLUSHDB")
        cls.standin = OAuthStandIn()
        env = {"LB_ADMIN_TOKEN": ADMIN_TOKEN, **OAuthStandIn.secrets_env()}
        cls.server = Server(write_config(config(cls.standin)), redis_url(DB), env)
        cls.server.wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.standin.stop()

    def test_every_host_signs_in_with_state_pkce_and_a_session_kept_only_hashed(self):
        for n, host in enumerate(HOSTS):
            with self.subTest(host=host):
                login = f"{host}-person{n}"
                self.standin.users[host] = {"id": 9000 + n, "login": login}
                browser = Browser(self.server, f"10.1.0.{n + 1}")
                authorize, callback, (status, headers, text) = browser.sign_in(host, "/join.html?lang=zh")
                query = parse_qs(urlparse(authorize).query)
                self.assertEqual(query["code_challenge_method"], ["S256"])
                self.assertEqual(query["redirect_uri"], [f"{self.server.base}/auth/{host}/callback"])
                self.assertEqual(len(query["state"][0]), 43)
                self.assertEqual(query.get("scope", [""])[0], {"gitee": "user_info", "gitlab": "read_user"}.get(host, ""))
                self.assertEqual((status, headers["location"]), (302, "/join.html?lang=zh"), text)
                session = browser.cookies["lb_session"]
                cookie_line = [v for k, v in headers.items() if k == "set-cookie"]
                status, me = browser.json("GET", "/api/session")
                self.assertEqual((status, me["signed_in"], me["accounts"]), (200, True, [{"host": host, "login": login}]))
                # The session id, the code and the host's token appear nowhere in Redis or the log.
                token = list(self.standin.tokens)[-1]
                code = parse_qs(urlparse(callback).query)["code"][0]
                dump = redis_cli(DB, "--scan") + "".join(redis_cli(DB, "GET", k) for k in redis_cli(DB, "--scan", "--pattern", "*session*").split())
                for secret in (session, token, code):
                    self.assertNotIn(secret, dump)
                    self.assertNotIn(secret, self.server.log())
                self.assertTrue(cookie_line)
        # The code exchange in each host's documented shape.
        shapes = {host: (query, ctype) for host, query, ctype, _ in self.standin.token_requests}
        self.assertEqual(shapes["atomgit"][1], "application/json")
        self.assertEqual(sorted(shapes["gitcode"][0]), ["client_id", "code", "grant_type"])
        self.assertEqual(shapes["github"], ({}, "application/x-www-form-urlencoded"))

    def test_a_proven_owner_sets_a_squatters_request_aside_and_gets_an_id_at_once(self):
        squatter = Browser(self.server, "10.2.0.1")
        status, queued = squatter.json("POST", "/api/community/sign-ups", {"name": "Squatter", "github": "Real-Owner"}, origin=False)
        self.assertEqual((status, queued["state"]), (201, "pending"), queued)
        self.standin.users["github"] = {"id": 4242, "login": "real-owner"}
        owner = Browser(self.server, "10.2.0.2")
        owner.sign_in("github")
        status, joined = owner.json("POST", "/api/community/sign-ups", {"name": "Real Owner", "city": "Shanghai"})
        self.assertEqual((status, joined["state"], joined["set_aside"]), (201, "approved", [queued["request"]]), joined)
        _, listing = self.server.json("GET", "/api/community/sign-ups?state=all", None, ADMIN)
        states = {r["id"]: (r["state"], r["github"]) for r in listing["sign_ups"]}
        self.assertEqual(states[queued["request"]][0], "set_aside")
        proven = {r["id"]: r["proven"] for r in listing["sign_ups"]}
        self.assertEqual((proven[joined["request"]], proven[queued["request"]]), (["github"], []))  # what the console marks
        self.assertEqual(states[joined["request"]], ("approved", "real-owner"))
        self.assertEqual(redis_cli(DB, "HGET", "lb:{community}:accounts", "github:4242").strip(), joined["community_id"])
        self.assertIn("set_aside_sign_up", redis_cli(DB, "XRANGE", "lb:{community}:audit", "-", "+"))
        # The squatter learns what became of the request, and nothing about the owner.
        status, told = squatter.json("GET", f"/api/community/sign-ups/{queued['request']}")
        self.assertEqual((status, told["state"]), (200, "set_aside"), told)
        self.assertIn("proved it by signing in", told["reason"])
        self.assertNotIn("name", told)
        status, mine = owner.json("GET", f"/api/community/sign-ups/{joined['request']}")
        self.assertEqual((mine["state"], mine["community_id"]), ("approved", joined["community_id"]))
        for missing in ("r999999", "x1", "r"):
            status, body = owner.json("GET", f"/api/community/sign-ups/{missing}")
            self.assertEqual((status, body["error"]), (404, "unknown_sign_up"))
        status, me = owner.json("GET", "/api/session")
        self.assertEqual(me["person"], joined["community_id"])
        # The squatter cannot claim it back, and an unproven second claim waits for nobody.
        status, again = squatter.json("POST", "/api/community/sign-ups", {"name": "Squatter", "github": "real-owner"}, origin=False)
        self.assertEqual((status, again["error"]), (409, "duplicate_login"), again)
        # A proven login that differs from the one the form names is refused, naming the field.
        status, wrong = owner.json("POST", "/api/community/sign-ups", {"name": "X", "github": "someone-else"})
        self.assertEqual((status, wrong["field"]), (400, "github"), wrong)

    def test_the_session_is_a_participants_key_only_from_this_site(self):
        self.standin.users["github"] = {"id": 777, "login": "mei-gh"}
        mei = Browser(self.server, "10.3.0.1")
        mei.sign_in("github")
        body = {"model": "vit", "metrics": {"top1": 0.801}, "evidence_url": "https://github.com/octo-org/models/pull/5"}
        status, refused = mei.json("POST", "/api/contests/repro/submissions", body, origin=False)
        self.assertEqual((status, refused["error"]), (403, "cross_site"), refused)
        status, _, text = mei.request("POST", f"{self.server.base}/api/contests/repro/submissions", json.dumps(body).encode(),
                                      {"Content-Type": "application/json", "Origin": "https://elsewhere.example"})
        self.assertEqual(status, 403, text)
        status, handed = mei.json("POST", "/api/contests/repro/submissions", body)
        self.assertIn(status, (200, 201), handed)
        self.assertEqual(handed.get("participant", "mei"), "mei")
        # The page asks which participant of a contest the visitor is; without a contest, nothing is said.
        status, me = mei.json("GET", "/api/session?contest=repro")
        self.assertEqual((status, me["participant"]), (200, "mei"), me)
        status, me = mei.json("GET", "/api/session")
        self.assertNotIn("participant", me)
        # Signed out: the cookie no longer works, and the session is gone from the store.
        self.assertEqual(mei.json("POST", "/auth/sign-out")[0], 200)
        self.assertNotIn("lb_session", mei.cookies)
        status, me = mei.json("GET", "/api/session")
        self.assertFalse(me["signed_in"])

    def test_what_an_attacker_tries_gets_a_page_and_changes_nothing(self):
        self.standin.users["gitee"] = {"id": 55, "login": "gitee-tester"}
        browser = Browser(self.server, "10.4.0.1")
        _, callback, (status, _, _) = browser.sign_in("gitee")
        self.assertEqual(status, 302)
        replay = browser.request("GET", callback)  # the same callback again
        self.assertEqual(replay[0], 400, replay[2])
        self.assertIn("already used", replay[2])
        fresh = Browser(self.server, "10.4.0.2")
        for target, expected in [("/auth/gitee/callback?code=abc&state=" + "A" * 43, 400),  # a state never issued
                                 ("/auth/gitee/callback?code=abc&state=short", 400),
                                 ("/auth/gitee/callback?state=" + "B" * 43, 400),          # no code
                                 ("/auth/gitee/callback?code=" + "x" * 3000 + "&state=" + "C" * 43, 400),
                                 ("/auth/gitee/start?return=https://elsewhere.example/", 400),
                                 ("/auth/gitee/start?return=//elsewhere.example/", 400),
                                 ("/auth/gitee/start?return=/%5Celsewhere", 400),
                                 ("/auth/bitbucket/start", 404)]:
            status, headers, text = fresh.request("GET", self.server.base + target, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
            self.assertEqual(status, expected, (target, text[:200]))
            self.assertNotIn("location", headers)
            self.assertTrue(text.startswith("<!doctype html>"), target)
            self.assertIn('lang="zh"', text)
        # A callback from a browser that did not start the sign-in.
        status, headers, _ = browser.request("GET", f"{self.server.base}/auth/gitee/start")
        authorize = headers["location"]
        _, headers, _ = browser.request("GET", authorize)
        other = Browser(self.server, "10.4.0.3")
        status, _, text = other.request("GET", headers["location"])
        self.assertEqual(status, 400, text)
        self.assertIn("another browser", text)
        # The host declines, answers HTML, or fails.
        for mode, deny, expected in [("ok", True, 403), ("html", False, 502), ("500", False, 502)]:
            self.standin.deny, self.standin.token_mode = deny, mode
            try:
                _, _, (status, _, text) = Browser(self.server, "10.4.0.4").sign_in("gitee")
            finally:
                self.standin.deny, self.standin.token_mode = False, "ok"
            self.assertEqual(status, expected, text)
        # Forged and expired session cookies are nobody.
        forged = Browser(self.server, "10.4.0.5")
        forged.cookies["lb_session"] = "D" * 43
        self.assertFalse(forged.json("GET", "/api/session")[1]["signed_in"])
        forged.cookies["lb_session"] = "not a token; x=1"
        self.assertFalse(forged.json("GET", "/api/session")[1]["signed_in"])
        self.standin.users["gitlab"] = {"id": 66, "login": "gl-expiring"}
        expiring = Browser(self.server, "10.4.0.6")
        expiring.sign_in("gitlab")
        for key in redis_cli(DB, "--scan", "--pattern", "lb:{community}:session:*").split():
            redis_cli(DB, "DEL", key)
        self.assertFalse(expiring.json("GET", "/api/session")[1]["signed_in"])


class FairLimits(unittest.TestCase):
    DB = 67
    HOOK_SECRET = "fair-limits-hook-secret"

    @classmethod
    def setUpClass(cls):
        redis_cli(cls.DB, "FLUSHDB")
        cls.standin = OAuthStandIn()
        env = {"LB_ADMIN_TOKEN": ADMIN_TOKEN, "LB_GITHUB_SECRET": cls.HOOK_SECRET, **OAuthStandIn.secrets_env()}
        cls.document = config(cls.standin, approval="always", webhooks=True)
        cls.server = Server(write_config(cls.document), redis_url(cls.DB), env)
        cls.server.wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.standin.stop()

    def test_a_flood_of_sign_ups_from_one_address_leaves_everyone_else_alone(self):
        host, port = self.server.base.split("//")[1].split(":")
        latencies, stop = [], threading.Event()

        def probe():
            while not stop.is_set():
                started = time.perf_counter()
                self.server.request("GET", "/healthz")
                latencies.append(time.perf_counter() - started)
                time.sleep(0.01)
        prober = threading.Thread(target=probe)
        prober.start()
        conn = http.client.HTTPConnection(host, int(port), timeout=20)
        answers = {}
        for n in range(10000):
            body = json.dumps({"name": f"Flood {n}", "github": f"flood-{n}"})
            conn.request("POST", "/api/community/sign-ups", body=body,
                         headers={"Content-Type": "application/json", "X-Forwarded-For": "203.0.113.9"})
            response = conn.getresponse()
            text = response.read()
            answers[response.status] = answers.get(response.status, 0) + 1
            if response.status == 429 and n == 9999:
                self.assertTrue(response.getheader("Retry-After"))
                self.assertEqual(json.loads(text)["error"], "too_many_requests")
        conn.close()
        stop.set()
        prober.join()
        print(f"\nflood: {answers}; /healthz during it: median {sorted(latencies)[len(latencies) // 2] * 1000:.1f} ms, "
              f"max {max(latencies) * 1000:.1f} ms over {len(latencies)} probes", flush=True)
        self.assertEqual(answers.get(201), 3)                  # max_pending_per_client
        self.assertGreaterEqual(answers.get(429), 9990)
        # Someone else, at once.
        status, body = Browser(self.server, "198.51.100.7").json("POST", "/api/community/sign-ups", {"name": "Real", "github": "real-person"},
                                                                origin=False)
        self.assertEqual((status, body.get("state")), (201, "pending"), body)
        # The flooder, after its window: past the rate limit, still at its share of waiting sign-ups
        # until an organizer decides them.
        time.sleep(1.2)
        flooder = Browser(self.server, "203.0.113.9")
        status, body = flooder.json("POST", "/api/community/sign-ups", {"name": "Later", "github": "later-one"}, origin=False)
        self.assertEqual((status, body["error"]), (429, "too_many_pending"), body)
        _, pending = self.server.json("GET", "/api/community/sign-ups", None, ADMIN)
        for r in pending["sign_ups"]:
            if r["name"].startswith("Flood"):
                self.assertEqual(self.server.json("POST", f"/api/community/sign-ups/{r['id']}/reject", b"{}", {**ADMIN, "Content-Type": "application/json"})[0], 200)
        time.sleep(1.2)  # one more token for the address (60 a minute)
        status, body = flooder.json("POST", "/api/community/sign-ups", {"name": "Later", "github": "later-one"}, origin=False)
        self.assertEqual((status, body.get("state")), (201, "pending"), body)
        metrics = self.server.request("GET", "/metrics")[2]
        self.assertGreaterEqual(int(re.search(r"^lb_limited_requests_total (\d+)$", metrics, re.M).group(1)), 9900)  # the rest were refused by the waiting-share rule

    def test_failed_credentials_lock_out_only_the_guesser(self):
        guesser = Browser(self.server, "203.0.113.50")
        statuses = [guesser.request("GET", self.server.base + "/api/community/sign-ups",
                                    headers={"Authorization": f"Bearer wrong-{n}"})[0] for n in range(8)]
        self.assertEqual(statuses[:5], [401] * 5)
        self.assertEqual(statuses[5:], [429] * 3)
        status, headers, _ = guesser.request("GET", self.server.base + "/api/community/sign-ups", headers=ADMIN)
        self.assertEqual(status, 429)  # even a right guess waits its turn
        self.assertIn("retry-after", headers)
        other = Browser(self.server, "198.51.100.8")
        self.assertEqual(other.request("GET", self.server.base + "/api/community/sign-ups", headers=ADMIN)[0], 200)
        # Reads are never limited.
        self.assertEqual(guesser.request("GET", self.server.base + "/api/contests/repro/standings")[0], 200)

    def test_bad_webhook_signatures_are_failed_credentials_but_never_shut_out_a_signed_delivery(self):
        body = json.dumps({"zen": "Keep it logically awesome.", "hook_id": 1}).encode()

        def deliver(address, signature):
            headers = {"Content-Type": "application/json", "X-GitHub-Event": "ping", "X-GitHub-Delivery": str(uuid.uuid4()),
                       "X-Hub-Signature-256": signature, "X-Forwarded-For": address}
            return self.server.request("POST", "/hooks/github", body, headers)

        good = "sha256=" + hmac.new(self.HOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
        bad = "sha256=" + "0" * 64
        statuses = [deliver("203.0.113.77", bad)[0] for _ in range(8)]
        self.assertEqual(statuses[:5], [401] * 5)  # the burst of failed credentials
        self.assertEqual(statuses[5:], [429] * 3)
        status, headers, text = deliver("203.0.113.77", bad)
        self.assertEqual((status, json.loads(text)["error"]), (429, "too_many_requests"))
        self.assertIn("retry-after", headers)
        # A delivery that verifies is heard from that address all the same (a code host's delivery
        # addresses are shared: a stranger's misconfigured hook must not shut out the real ones).
        status, _, text = deliver("203.0.113.77", good)
        self.assertEqual(status, 200, text)
        self.assertEqual(deliver("198.51.100.77", bad)[0], 401)  # another address has its own count

    def test_reloaded_limits_hold_at_once(self):
        def reload(document):
            with open(self.server.config_path, "w", encoding="utf-8") as handle:
                json.dump(document, handle)
            status, answer = self.server.json("POST", "/api/config/reload", b"", ADMIN)
            self.assertEqual((status, answer.get("restart_needed_for")), (200, []), answer)

        stricter = json.loads(json.dumps(self.document))
        stricter["server"]["limits"]["failed_credentials"] = {"per_minute": 1, "burst": 2}
        reload(stricter)
        try:
            guesser = Browser(self.server, "203.0.113.61")
            statuses = [guesser.request("GET", self.server.base + "/api/community/sign-ups",
                                        headers={"Authorization": f"Bearer wrong-{n}"})[0] for n in range(4)]
            self.assertEqual(statuses, [401, 401, 429, 429])
            _, headers, _ = guesser.request("GET", self.server.base + "/api/community/sign-ups", headers=ADMIN)
            self.assertEqual(int(headers["retry-after"]), 60)  # one a minute
        finally:
            reload(self.document)


if __name__ == "__main__":
    unittest.main()
