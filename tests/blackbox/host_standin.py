"""A local stand-in for the hosts' REST APIs, serving their documented shapes:
the pull request lists (GitHub: state=closed, Link pagination; Gitee v5, and GitCode's and
AtomGit's under /gitcode and /atomgit: state=merged, page=N with total_page, GitCode's
merged_at "" when not merged; GitLab v4: merge_requests?state=merged&updated_after=, page=N),
GitLab's users by id, a repository's hooks, a hook's deliveries (cursor pagination)
and redelivery attempts. It records every request, answers If-None-Match with 304, and
can be told to rate-limit (403 with X-RateLimit-Remaining: 0 and a reset time)."""
import hashlib
import json
import threading
import time
from urllib.parse import parse_qs, urlparse

from harness import now as test_now
from standin_server import StandInServer


def api_pull(webhook_pull_request):
    """A pulls-list item from a webhook's pull_request object (the same object, minus what only the single-PR endpoint has)."""
    item = dict(webhook_pull_request)
    for key in ("merged", "mergeable", "mergeable_state", "merged_by", "comments", "review_comments", "commits",
                "additions", "deletions", "changed_files", "rebaseable", "maintainer_can_modify"):
        item.pop(key, None)
    return item


def delivery(id, guid, status_code, delivered_at, event="pull_request", action="closed", redelivery=False):
    """A hook delivery summary as GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries lists it."""
    return {"id": id, "guid": guid, "delivered_at": delivered_at, "redelivery": redelivery, "duration": 0.27,
            "status": "OK" if 200 <= status_code < 300 else "Invalid HTTP Response: %d" % status_code,
            "status_code": status_code, "event": event, "action": action, "installation_id": None,
            "repository_id": 1296269, "throttled_at": None}


class HostStandIn:
    def __init__(self, page_size=30):
        self.page_size = page_size  # smaller than what we ask for, so pagination is exercised
        self.github_pulls = {}      # "owner/repo" lower-cased -> [api pull item], any order (served newest update first)
        self.gitee_pulls = {}
        self.gitcode_pulls = {}     # served under /gitcode/api/v5/..., the same shape as Gitee's
        self.atomgit_pulls = {}     # under /atomgit/api/v5/...
        self.gitlab_mrs = {}        # "group/sub/project" lower-cased -> [merge request as GET /merge_requests lists it]
        self.gitlab_users = {}      # id -> {"id", "username", ...}
        self.gitlab_down = False    # the users endpoint answers 503
        self.hooks = {}             # "owner/repo" -> [hook]
        self.deliveries = {}        # hook id -> [delivery], served newest first
        self.requests = []          # (method, path with query, headers)
        self.redelivered = []       # delivery ids asked for again
        self.rate_limited = 0       # how many next requests answer 403 rate-limited
        self.lock = threading.Lock()
        self.http = StandInServer(self.handle)
        self.base = self.http.base

    def stop(self):
        self.http.stop()

    def send(self, handler, status, body, headers=None):
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def page(self, handler, items, offset, next_url, extra=None):
        chosen = items[offset:offset + self.page_size]
        body = json.dumps(chosen, ensure_ascii=False).encode()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()
        headers = dict(extra or {}, ETag=etag)
        if handler.headers.get("If-None-Match") == etag:
            return self.send(handler, 304, None, {"ETag": etag})
        if offset + self.page_size < len(items) and next_url:
            headers["Link"] = '<%s>; rel="next", <%s>; rel="first"' % (next_url, next_url)
        self.send(handler, 200, chosen, headers)

    def handle(self, handler, method):
        url = urlparse(handler.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = [p for p in url.path.split("/") if p]
        with self.lock:
            self.requests.append((method, handler.path, dict(handler.headers)))
            if self.rate_limited > 0:
                self.rate_limited -= 1
                return self.send(handler, 403, {"message": "API rate limit exceeded for 127.0.0.1.",
                                                "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"},
                                 {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0", "X-RateLimit-Used": "60",
                                  "X-RateLimit-Reset": str(int(test_now()) + 2), "X-RateLimit-Resource": "core"})
        pulls_of = self.gitee_pulls
        if parts[:1] in (["gitcode"], ["atomgit"]):
            pulls_of = self.gitcode_pulls if parts[0] == "gitcode" else self.atomgit_pulls
            parts = parts[1:]
        if parts[:3] == ["api", "v4", "users"] and len(parts) == 4:
            if self.gitlab_down:
                return self.send(handler, 503, {"message": "503 Service Unavailable"})
            if handler.headers.get("PRIVATE-TOKEN") != "gitlab-api-token":
                return self.send(handler, 401, {"message": "401 Unauthorized"})
            user = self.gitlab_users.get(int(parts[3])) if parts[3].isdigit() else None
            return self.send(handler, 200, user) if user else self.send(handler, 404, {"message": "404 User Not Found"})
        if parts[:3] == ["api", "v4", "projects"] and len(parts) == 5 and parts[4] == "merge_requests":
            from urllib.parse import unquote
            project = unquote(parts[3]).lower()
            items = sorted(self.gitlab_mrs.get(project, []), key=lambda m: m["updated_at"], reverse=True)
            if query.get("state") != "merged":
                items = []
            if "updated_after" in query:
                items = [m for m in items if m["updated_at"] >= query["updated_after"]]
            page = int(query.get("page", "1"))
            total_pages = max(1, -(-len(items) // self.page_size))
            return self.page(handler, items, (page - 1) * self.page_size, None,
                             {"X-Total": str(len(items)), "X-Total-Pages": str(total_pages), "X-Page": str(page)})
        if parts[:3] == ["api", "v5", "repos"] and len(parts) == 6 and parts[5] == "pulls":
            repo = (parts[3] + "/" + parts[4]).lower()  # owner and name are case-insensitive on these hosts
            items = sorted(pulls_of.get(repo, []), key=lambda p: p["updated_at"], reverse=True)
            if query.get("state") != "merged":
                items = []
            page = int(query.get("page", "1"))
            total_pages = max(1, -(-len(items) // self.page_size))
            return self.page(handler, items, (page - 1) * self.page_size, None,
                             {"total_count": str(len(items)), "total_page": str(total_pages)})
        if parts[:1] != ["repos"] or len(parts) < 4:
            return self.send(handler, 404, {"message": "Not Found"})
        repo = (parts[1] + "/" + parts[2]).lower()
        if parts[3] == "pulls" and len(parts) == 4:
            items = sorted(self.github_pulls.get(repo, []), key=lambda p: p["updated_at"], reverse=True)
            page = int(query.get("page", "1"))
            next_url = "%s/repos/%s/pulls?state=closed&sort=updated&direction=desc&per_page=100&page=%d" % (self.base, repo, page + 1)
            return self.page(handler, items, (page - 1) * self.page_size, next_url)
        if parts[3] == "hooks" and len(parts) == 4:
            return self.send(handler, 200, self.hooks.get(repo, []))
        if parts[3] == "hooks" and len(parts) == 6 and parts[5] == "deliveries":
            items = sorted(self.deliveries.get(int(parts[4]), []), key=lambda d: (d["delivered_at"], d["id"]), reverse=True)
            offset = int(query.get("cursor", "0"))
            next_url = "%s/repos/%s/hooks/%s/deliveries?per_page=100&cursor=%d" % (self.base, repo, parts[4], offset + self.page_size)
            return self.page(handler, items, offset, next_url)
        if method == "POST" and parts[3] == "hooks" and len(parts) == 8 and parts[5] == "deliveries" and parts[7] == "attempts":
            with self.lock:
                asked = int(parts[6])
                self.redelivered.append(asked)
                # The host delivers again; what our receiver answered shows as a new attempt with the same guid.
                attempts = self.deliveries.get(int(parts[4]), [])
                original = next((d for d in attempts if d["id"] == asked), None)
                if original:
                    attempts.append(delivery(max(d["id"] for d in attempts) + 1, original["guid"], 200,
                                             time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), original["event"],
                                             original["action"], redelivery=True))
            return self.send(handler, 202, {})
        return self.send(handler, 404, {"message": "Not Found"})
