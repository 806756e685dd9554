"""Black-box tests of the receivers of GitCode, AtomGit and GitLab (GitLab's merge request hook,
each host's own headers), next to GitHub and Gitee: one contest, every host, the same boards."""
import json
import time
import unittest

import os

from harness import Server, cli, redis_cli, redis_url, write_config
from harness import now as test_now
from host_standin import HostStandIn
from payloads import gitee_delivery, gitee_pr, github_delivery, github_pr, merge_request, merge_request_delivery
from wire import WebSocket

SECRETS = {"github": "gh-secret", "gitee": "ge-secret", "gitcode": "gc-secret", "atomgit": "hook:ag-password", "gitlab": "gl-token"}
ENV = {"LB_GITHUB_SECRET": SECRETS["github"], "LB_GITEE_SECRET": SECRETS["gitee"], "LB_GITCODE_SECRET": SECRETS["gitcode"],
       "LB_ATOMGIT_SECRET": SECRETS["atomgit"], "LB_GITLAB_SECRET": SECRETS["gitlab"], "LB_GITLAB_TOKEN": "gitlab-api-token",
       "LB_ADMIN_TOKEN": "t"}
CONTEST = "hosts"
NOW = int(test_now())


def stamp(seconds):
    """A time as GitCode writes it: Beijing time with its offset."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds + 8 * 3600)) + "+08:00"


def utc(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def config_document(gitlab_api, gitcode_mode="password", atomgit_mode="basic"):
    base = gitlab_api[:-len("/api/v4")]
    return {
        "admin_token_env": "LB_ADMIN_TOKEN",
        "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET", "api_url": base},
                     "gitee": {"secret_env": "LB_GITEE_SECRET", "mode": "signature", "timestamp_window_seconds": 300,
                               "api_url": base + "/api/v5"},
                     "gitcode": {"secret_env": "LB_GITCODE_SECRET", "mode": gitcode_mode, "api_url": base + "/gitcode/api/v5"},
                     "atomgit": {"secret_env": "LB_ATOMGIT_SECRET", "mode": atomgit_mode, "api_url": base + "/atomgit/api/v5"},
                     "gitlab": {"secret_env": "LB_GITLAB_SECRET", "api_url": gitlab_api, "token_env": "LB_GITLAB_TOKEN"}},
        "contests": [{
            "id": CONTEST, "title": "Every host", "starts_at": stamp(NOW - 10 * 86400),
            "ends_at": stamp(NOW + 10 * 86400),
            "repos": ["github:org/framework", "gitee:org/framework", "gitcode:openGauss/server", "atomgit:openeuler/kernel",
                      "gitlab:group/sub/project"],
            "teams": [{"id": "shanghai", "name": "上海", "kind": "city"}],
            "participants": [{"id": "ann", "name": "Ann", "github": "ann", "gitee": "ann-g",
                              "logins": {"gitcode": "ann_gc", "atomgit": "ann.ag", "gitlab": "ann.gl"}, "teams": ["shanghai"]},
                             {"id": "bo", "name": "Bo", "logins": {"gitlab": "bo"}, "teams": ["shanghai"]}],
            "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10, "documentation": 2}}}}]}


class MergeRequestHosts(unittest.TestCase):
    DB = 49

    def setUp(self):
        redis_cli(self.DB, "FLUSHDB")
        self.api = HostStandIn()
        self.api.gitlab_users[4242] = {"id": 4242, "username": "ann.gl", "name": "Ann", "state": "active"}
        self.server = Server(write_config(config_document(self.api.base + "/api/v4")), redis_url(self.DB), ENV)
        self.server.wait_ready()

    def tearDown(self):
        self.server.stop()
        self.api.stop()

    def send(self, host, payload, mode=None, delivery=None, secret=None):
        body, headers = merge_request_delivery(host, secret or SECRETS[host], payload, mode or {"atomgit": "basic"}.get(host), delivery)
        return self.server.json("POST", f"/hooks/{host}", body, headers)

    def points(self, pid="ann"):
        return self.server.json("GET", f"/api/contests/{CONTEST}/participants/{pid}")[1]["points"]

    def wait_points(self, expected, pid="ann", timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline and self.points(pid) != expected:
            time.sleep(0.1)
        return self.points(pid)

    def test_one_merge_from_every_host_scores_once_on_the_same_boards_and_live(self):
        host, port = self.server.base.split("//")[1].split(":")
        socket = WebSocket(host, int(port), f"/ws?contest={CONTEST}&board=participants")
        socket.next_json(lambda f: f["type"] == "snapshot")
        at = stamp(NOW - 3600)
        gh = self.server.json("POST", "/hooks/github", *github_delivery(SECRETS["github"], github_pr(
            number=1, author="ann", repo="org/framework", merged_at=utc(NOW - 3600))))
        ge = self.server.json("POST", "/hooks/gitee", *gitee_delivery(SECRETS["gitee"], gitee_pr(
            number=2, author="ann-g", repo="org/framework", merged_at=utc(NOW - 3600))))
        gc = self.send("gitcode", merge_request("gitcode", number=3, author="ann_gc", repo="openGauss/server", updated_at=at))
        ag = self.send("atomgit", merge_request("atomgit", number=4, author="ann.ag", repo="openeuler/kernel", updated_at=at))
        gl = self.send("gitlab", merge_request("gitlab", number=5, author_id=4242, repo="group/sub/project", updated_at=at,
                                               merger="bo"))
        for host, (status, answer) in zip(["github", "gitee"], [gh, ge]):
            self.assertEqual((status, answer["outcome"]), (200, "applied"), f"{host}: {answer}")
        for host, (status, answer) in zip(["gitcode", "atomgit"], [gc, ag]):
            self.assertEqual((status, answer["outcome"]), (200, "applied"), f"{host}: {answer}")
        # GitLab names the author by id only: the first time, the API is asked, the delivery waits on disk.
        self.assertEqual((gl[0], gl[1]["outcome"]), (202, "spooled"), gl[1])
        self.assertEqual(self.wait_points(55), 55, self.server.log())
        self.assertEqual(self.points("bo"), 0)  # the merger named in `user` never gets the author's points
        subjects = set(redis_cli(self.DB, "HKEYS", "lb:{%s}:ledger" % CONTEST).split())
        self.assertEqual(subjects, {"github:org/framework#1", "gitee:org/framework#2", "gitcode:opengauss/server#3",
                                    "atomgit:openeuler/kernel#4", "gitlab:group/sub/project#5"})
        seen = set()
        deadline = time.time() + 10
        while len(seen) < 5 and time.time() < deadline:
            frame = socket.next_json(lambda f: f["type"] == "update", limit=200)
            for event in frame.get("events", []):
                seen.add(event.get("source"))
        self.assertEqual(seen, {"github", "gitee", "gitcode", "atomgit", "gitlab"})
        socket.close()
        # Once known, an author's next merge is applied at once.
        status, answer = self.send("gitlab", merge_request("gitlab", number=6, author_id=4242, repo="group/sub/project", updated_at=at))
        self.assertEqual((status, answer["outcome"]), (200, "applied"), answer)
        self.assertEqual(self.points(), 66)
        # Every delivery answered again changes nothing.
        team = self.server.json("GET", f"/api/contests/{CONTEST}/standings?board=teams:city")[1]["rows"][0]
        self.assertEqual((team["id"], team["points"]), ("shanghai", 66))

    def test_credentials_duplicates_unmerged_and_order(self):
        mr = merge_request("gitcode", number=7, author="ann_gc", repo="openGauss/server", updated_at=stamp(NOW - 7200))
        status, answer = self.send("gitcode", mr, secret="wrong")
        self.assertEqual((status, answer["outcome"]), (401, "bad_signature"))
        self.assertIn("X-GitCode-Token", answer["error"])
        status, answer = self.send("atomgit", merge_request("atomgit", number=1, author="ann.ag", repo="openeuler/kernel"),
                                   secret="hook:wrong")
        self.assertEqual((status, answer["outcome"]), (401, "bad_signature"))
        status, answer = self.send("gitlab", merge_request("gitlab", number=1, author_id=4242, repo="group/sub/project"), secret="nope")
        self.assertEqual((status, answer["outcome"]), (401, "bad_signature"))
        # A replayed delivery is a duplicate.
        self.assertEqual(self.send("gitcode", mr, delivery="d-1")[1]["outcome"], "applied")
        self.assertEqual(self.send("gitcode", mr, delivery="d-1")[1]["outcome"], "duplicate")
        self.assertEqual(self.points(), 11)
        # Opening and updating a request that is not merged is ignored, with the reason.
        for action, state in [("open", "opened"), ("update", "opened"), ("close", "closed")]:
            status, answer = self.send("gitcode", merge_request("gitcode", action=action, state=state, number=8, author="ann_gc",
                                                                  repo="openGauss/server"))
            self.assertEqual((status, answer["outcome"]), (202, "ignored"), answer)
            self.assertTrue(answer["reason"], answer)
        # A label change on a merged request re-scores it; an older state never overwrites a newer one.
        relabel = merge_request("gitcode", action="update", number=7, author="ann_gc", repo="openGauss/server", labels=("documentation",),
                                updated_at=stamp(NOW - 3600))
        self.assertEqual(self.send("gitcode", relabel)[1]["outcome"], "applied")
        self.assertEqual(self.points(), 3)
        older = merge_request("gitcode", action="update", number=7, author="ann_gc", repo="openGauss/server", labels=("bug",),
                              updated_at=stamp(NOW - 5400))
        self.assertEqual(self.send("gitcode", older)[1]["outcome"], "stale")
        self.assertEqual(self.points(), 3)

    def test_gitcode_signature_mode_and_atomgit_password_mode(self):
        self.server.stop()
        self.server = Server(write_config(config_document(self.api.base + "/api/v4", "signature", "password")), redis_url(self.DB), ENV)
        self.server.wait_ready()
        mr = merge_request("gitcode", number=9, author="ann_gc", repo="openGauss/server", updated_at=stamp(NOW - 60))
        self.assertEqual(self.send("gitcode", mr, mode="signature")[1]["outcome"], "applied")
        status, answer = self.send("gitcode", mr, mode="password")  # a token is not a signature
        self.assertEqual((status, answer["outcome"]), (401, "bad_signature"))
        self.assertIn("X-GitCode-Signature-256", answer["error"])
        ag = merge_request("atomgit", number=9, author="ann.ag", repo="openeuler/kernel", updated_at=stamp(NOW - 60))
        self.assertEqual(self.send("atomgit", ag, mode="password")[1]["outcome"], "applied")
        self.assertEqual(self.points(), 22)

    def test_gitlab_author_waits_on_disk_while_the_api_is_down(self):
        self.api.gitlab_down = True
        mr = merge_request("gitlab", number=11, author_id=4242, repo="group/sub/project", updated_at=stamp(NOW - 60), merger="bo")
        status, answer = self.send("gitlab", mr)
        self.assertEqual((status, answer["outcome"]), (202, "spooled"), answer)
        time.sleep(2)
        self.assertEqual(self.points(), 0)  # not scored to anyone meanwhile, least of all the merger
        self.assertEqual(self.points("bo"), 0)
        self.api.gitlab_down = False
        self.assertEqual(self.wait_points(11, timeout=20), 11, self.server.log())
        asked = [path for method, path, headers in self.api.requests if path.startswith("/api/v4/users/")]
        self.assertIn("/api/v4/users/4242", asked)
        self.assertEqual(redis_cli(self.DB, "HGET", "lb:{webhooks}:authors:gitlab", "4242").strip(), "ann.gl")
        # GitLab turns a hook off after four failures: a body it cannot score is not answered 4xx.
        body, headers = merge_request_delivery("gitlab", SECRETS["gitlab"], {"object_kind": "merge_request"})
        status, answer = self.server.json("POST", "/hooks/gitlab", body, headers)
        self.assertEqual((status, answer["outcome"]), (202, "malformed"), answer)
        self.assertIn("object_attributes", answer["error"])


    def test_reconcile_and_import_read_every_host(self):
        """Merges the hooks missed, from GitCode's and AtomGit's v5 lists and GitLab's v4 list."""
        def gitcode_item(number, author, merged_at, labels=("bug",)):
            return {"id": 179990 + number, "number": number, "title": f"fix {number}", "state": "merged" if merged_at else "open",
                    "html_url": f"https://gitcode.com/opengauss/server/merge_requests/{number}",
                    "user": {"id": "a1b2", "login": author, "name": author}, "labels": [{"id": 1, "name": l} for l in labels],
                    "created_at": stamp(NOW - 9000), "updated_at": stamp(NOW - 3000 + number), "closed_at": "",
                    "merged_at": merged_at, "draft": False}
        self.api.gitcode_pulls["opengauss/server"] = [gitcode_item(21, "ann_gc", stamp(NOW - 3000)), gitcode_item(22, "ann_gc", "")]
        self.api.atomgit_pulls["openeuler/kernel"] = [gitcode_item(31, "ann.ag", stamp(NOW - 2000), ("documentation",))]
        self.api.gitlab_mrs["group/sub/project"] = [
            {"id": 1, "iid": 41, "title": "fix 41", "state": "merged", "web_url": "https://gitlab.com/group/sub/project/-/merge_requests/41",
             "author": {"id": 4242, "username": "ann.gl"}, "labels": ["bug"], "merged_at": utc(NOW - 1000), "updated_at": utc(NOW - 1000)},
            {"id": 2, "iid": 42, "title": "draft", "state": "opened", "web_url": "https://gitlab.com/group/sub/project/-/merge_requests/42",
             "author": {"id": 4242, "username": "ann.gl"}, "labels": [], "merged_at": None, "updated_at": utc(NOW - 900)}]
        env = dict(os.environ, **ENV)
        result = cli("reconcile", "--config", self.server.config_path, "--contest", CONTEST, "--redis", redis_url(self.DB), env=env)
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertEqual(self.wait_points(11 + 3 + 11), 25, result.stdout)
        subjects = set(redis_cli(self.DB, "HKEYS", "lb:{%s}:ledger" % CONTEST).split())
        self.assertEqual(subjects, {"gitcode:opengauss/server#21", "atomgit:openeuler/kernel#31", "gitlab:group/sub/project#41"})
        asked = [path for method, path, headers in self.api.requests if "/merge_requests?" in path]
        self.assertTrue(any("updated_after=" in path for path in asked), asked)
        gitlab_headers = [headers for method, path, headers in self.api.requests if "/merge_requests?" in path][0]
        self.assertEqual(gitlab_headers.get("PRIVATE-TOKEN"), "gitlab-api-token")
        # import-prs takes every host.
        lines = [{"host": h, "repo": r, "number": 50, "url": "", "title": "t", "author": a, "labels": ["bug"], "merged": True,
                  "merged_at": utc(NOW - 500), "updated_at": utc(NOW - 500)}
                 for h, r, a in (("gitcode", "openGauss/server", "ann_gc"), ("gitlab", "group/sub/project", "ann.gl"))]
        path = self.server.config_path + ".prs.ndjson"
        with open(path, "w") as f:
            f.write("\n".join(json.dumps(line) for line in lines) + "\n")
        result = cli("import-prs", "--config", self.server.config_path, "--contest", CONTEST, "--file", path, "--redis", redis_url(self.DB), env=env)
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertEqual(self.wait_points(47), 47)


if __name__ == "__main__":
    unittest.main()
