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
    _last_gitee_ms = max(_last_gitee_ms + 1, int(time.time() * 1000))
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
