"""Webhook deliveries built from real payload shapes: GitHub's from the npm package
@octokit/webhooks-examples (installed by the test command), Gitee's from its documented paths."""
import base64
import copy
import hashlib
import hmac
import json
import os
import time
import uuid

from harness import now as test_now

NODE_MODULES = os.path.join(os.path.dirname(__file__), "..", "node", "node_modules")


def _github_examples():
    path = os.path.join(NODE_MODULES, "@octokit", "webhooks-examples", "api.github.com", "index.json")
    with open(path, encoding="utf-8") as f:
        events = json.load(f)
    return {e["name"]: e["examples"] for e in events}


GITHUB = _github_examples()


def github_pr(action="closed", number=2, author="Codertocat", labels=("bug",), merged=True,
              merged_at="2026-12-02T10:00:00Z", updated_at=None, repo="Codertocat/Hello-World"):
    """A pull_request payload from the real example, with merge state set (the package has no merged one)."""
    example = copy.deepcopy(next(e for e in GITHUB["pull_request"] if e["action"] == action))
    pr = example["pull_request"]
    pr["number"] = number
    example["number"] = number
    pr["html_url"] = f"https://github.com/{repo}/pull/{number}"
    pr["title"] = f"fix: crash {number}"
    pr["user"]["login"] = author
    pr["labels"] = [{"id": i, "name": name, "color": "f29513", "default": False} for i, name in enumerate(labels)]
    pr["merged"] = merged
    pr["merged_at"] = merged_at if merged else None
    pr["merged_by"] = copy.deepcopy(pr["user"]) if merged else None
    pr["updated_at"] = updated_at or merged_at
    pr["base"]["repo"]["full_name"] = repo
    example["repository"]["full_name"] = repo
    return example


def github_delivery(secret, payload, event="pull_request", form=False, delivery=None, bad_signature=False):
    """(body bytes, headers) as GitHub sends them."""
    text = json.dumps(payload)
    if form:
        from urllib.parse import quote_plus
        body = ("payload=" + quote_plus(text)).encode()
        content_type = "application/x-www-form-urlencoded"
    else:
        body = text.encode()
        content_type = "application/json"
    key = (secret + "x" if bad_signature else secret).encode()
    signature = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": content_type, "X-GitHub-Event": event, "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
               "X-Hub-Signature-256": signature, "User-Agent": "GitHub-Hookshot/test"}
    return body, headers


def gitee_pr(action="merge", number=7, author="chen", labels=("bug",), merged=True,
             merged_at="2026-12-02T18:00:00+08:00", updated_at=None, repo="example-org/framework", action_desc=None):
    """A Merge Request Hook body from the documented field paths."""
    owner = repo.split("/")[0]
    pr = {"id": 1000 + number, "number": number, "state": "merged" if merged else "open",
          "html_url": f"https://gitee.com/{repo}/pulls/{number}", "title": f"修复: 问题 {number}",
          "user": {"login": author, "name": author}, "labels": [{"id": i, "name": n, "color": "fff"} for i, n in enumerate(labels)],
          "merged": merged, "merged_at": merged_at if merged else None, "updated_at": updated_at or merged_at,
          "merge_status": "can_be_merged", "base": {"repo": {"full_name": repo}}}
    body = {"action": action, "hook_name": "merge_request_hooks", "pull_request": pr,
            "repository": {"full_name": repo, "name_with_namespace": f"示例组织/框架", "owner": {"login": owner}},
            "sender": {"login": "maintainer"}, "state": pr["state"]}
    if action_desc:
        body["action_desc"] = action_desc
    return body


_last_gitee_ms = 0


def fresh_gitee_ms():
    # In signature mode the token depends on the timestamp alone, so two deliveries stamped in the
    # same millisecond are one (timestamp, token) pair, and the receiver rightly refuses the second
    # as a replay. Each delivery a test makes gets its own millisecond.
    global _last_gitee_ms
    _last_gitee_ms = max(_last_gitee_ms + 1, int(test_now() * 1000))
    return _last_gitee_ms


def gitee_delivery(secret, payload, timestamp_ms=None, token=None, event="Merge Request Hook", ping=False):
    timestamp = str(timestamp_ms if timestamp_ms is not None else fresh_gitee_ms())
    if token is None:
        digest = hmac.new(secret.encode(), (timestamp + "\n" + secret).encode(), hashlib.sha256).digest()
        token = base64.b64encode(digest).decode()
    headers = {"Content-Type": "application/json", "X-Gitee-Event": event, "X-Gitee-Token": token,
               "X-Gitee-Timestamp": timestamp, "User-Agent": "git-oschina-hook"}
    if ping:
        headers["X-Gitee-Ping"] = "true"
    return json.dumps(payload, ensure_ascii=False).encode(), headers


# GitCode, AtomGit and GitLab: GitLab's merge request hook, built from the documented field paths
# (GitCode's capture has the same paths, times with +08:00 offsets and no merged_at).
MR_WEB = {"gitcode": "https://gitcode.com", "atomgit": "https://atomgit.com", "gitlab": "https://gitlab.com"}


def merge_request(host="gitcode", action="merge", state="merged", number=4, author="chenchen", author_id=858059,
                  labels=("bug",), updated_at="2026-12-02T18:00:00+08:00", repo="example-org/framework", merger="maintainer",
                  with_username=None):
    """A Merge Request Hook body. GitLab names the author by id only (with_username defaults to False there)."""
    with_username = host != "gitlab" if with_username is None else with_username
    page = f"{MR_WEB[host]}/{repo}/-/merge_requests/{number}" if host == "gitlab" else f"{MR_WEB[host]}/{repo}/merge_requests/{number}"
    attributes = {
        "id": 190000 + number, "iid": number, "title": f"fix: crash {number}", "description": "",
        "state": state, "action": action, "url": page, "target_branch": "main", "source_branch": f"fix-{number}",
        "created_at": "2026-12-01T09:00:00+08:00", "updated_at": updated_at, "author_id": author_id,
        "merge_commit_sha": None, "work_in_progress": False,
    }
    if with_username:
        attributes["author"] = {"id": author_id, "name": "******", "username": author, "avatar_url": "https://example.org/a"}
    namespace, _, name = repo.rpartition("/")
    return {
        "object_kind": "merge_request", "event_type": "merge_request",
        # The user is whoever triggered the event: the merger on a merge, never the author.
        "user": {"id": 1, "name": merger, "username": merger, "email": "m@example.org"},
        "project": {"id": 4163304, "name": name, "namespace": namespace, "path_with_namespace": repo,
                    "web_url": f"{MR_WEB[host]}/{repo}", "default_branch": "main"},
        "object_attributes": attributes,
        "labels": [{"id": 12739266 + i, "title": title, "color": "#B4B4B4", "project_id": 4163304, "type": "ProjectLabel"}
                   for i, title in enumerate(labels)],
        "repository": {"name": name, "homepage": f"{MR_WEB[host]}/{repo}"},
        "uuid": uuid.uuid4().hex,
    }


def merge_request_delivery(host, secret, payload, mode=None, delivery=None):
    """The body's bytes and the headers each host sends with it (mode: webhooks.<host>.mode)."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "User-Agent": f"{host}-hook"}
    delivery = delivery or str(uuid.uuid4())
    if host == "gitcode":
        headers.update({"X-GitCode-Event": "Merge Request Hook", "X-GitCode-Delivery": delivery})
        if (mode or "password") == "signature":
            headers["X-GitCode-Signature-256"] = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        else:
            headers["X-GitCode-Token"] = secret
    elif host == "atomgit":
        headers["X-AtomGit-Event"] = "Merge Request Hook"
        if (mode or "password") == "basic":
            headers["Authorization"] = "Basic " + base64.b64encode(secret.encode()).decode()
        else:
            headers["X-AtomGit-Token"] = secret
    else:
        headers.update({"X-Gitlab-Event": "Merge Request Hook", "X-Gitlab-Token": secret, "X-Gitlab-Event-UUID": delivery,
                        "Idempotency-Key": delivery, "X-Gitlab-Instance": "https://gitlab.com"})
    return body, headers
