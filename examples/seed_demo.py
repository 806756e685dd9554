#!/usr/bin/env python3
"""Fills the example reproduction contest and training camp through the public and admin
HTTP routes, so the run command shows them with scores. Does nothing when already seeded.
usage: seed_demo.py BASE_URL   (tokens from LB_ADMIN_TOKEN and, for the judge's work, LB_JUDGE_TOKEN)"""
import json
import os
import sys
import urllib.error
import urllib.request

BASE = sys.argv[1].rstrip("/")
ADMIN = "Bearer " + os.environ["LB_ADMIN_TOKEN"]
# Verdicts and judged scores are a judge's work; the audit names them (the admin may do it too).
JUDGE = "Bearer " + os.environ.get("LB_JUDGE_TOKEN", os.environ["LB_ADMIN_TOKEN"])
HERE = os.path.dirname(os.path.abspath(__file__))


def call(method, path, body=None, token=ADMIN, content_type="application/json"):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method,
                                     headers={"Authorization": token, "Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        sys.exit(f"seeding failed: {method} {path}: {error.code} {error.read().decode()}")


def seed_camp():
    with open(os.path.join(HERE, "spring-camp-scores.csv"), "rb") as f:
        call("PUT", "/api/contests/spring-camp/components/homework?reason=homework+1-4", f.read(), token=JUDGE,
             content_type="text/csv")
    # The advanced project is homework: each participant hands in part 1 (a link and a note), a judge
    # scores it; part 2 opens later in the camp (handed in once open, late ones accepted).
    scores = {"lin": 88, "wang": 95, "zhao": 61, "sun": 90, "zhou": 72, "wu": 83, "qian": 47, "ma": 99}
    for pid, points in scores.items():
        token = "Bearer " + call("POST", f"/api/contests/spring-camp/participants/{pid}/tokens", {})["token"]
        handed = call("POST", "/api/contests/spring-camp/homework",
                      {"component": "advanced", "assignment": "part-1", "url": f"https://gitee.com/{pid}/camp/blob/main/part-1.md",
                       "note": "复现报告与数据"}, token=token)
        call("POST", f"/api/contests/spring-camp/homework/{handed['id']}/score", {"points": points, "comment": "reviewed"}, token=JUDGE)
    # The video talk is a public vote: each participant hands in a link to their video before it opens;
    # signed-in members of the community vote once it is open (the page's "Vote" view).
    vote = call("GET", "/api/contests/spring-camp/votes/video")
    if vote["state"] != "upcoming":
        print("the video vote has opened: entries are no longer taken, none seeded")
        return
    for pid in scores:
        token = "Bearer " + call("POST", f"/api/contests/spring-camp/participants/{pid}/tokens", {})["token"]
        call("POST", "/api/contests/spring-camp/votes/video/entries",
             {"url": f"https://www.bilibili.com/video/BV-demo-{pid}", "title": f"{pid}: 21 天学习笔记"}, token=token)


def seed_repro():
    tokens = {pid: call("POST", f"/api/contests/model-repro/participants/{pid}/tokens", {})["token"]
              for pid in ("alice", "bob", "chen", "dong")}
    runs = [("alice", "resnet50", "top1", 0.7621, 0.7618), ("bob", "resnet50", "top1", 0.7610, 0.7609),
            ("chen", "bert-base", "f1", 0.881, 0.8795), ("dong", "yolov5s", "map50", 0.51, 0.512),
            ("bob", "bert-base", "f1", 0.887, None)]
    for pid, model, metric, claimed, measured in runs:
        sub = call("POST", "/api/contests/model-repro/submissions",
                   {"model": model, "metrics": {metric: claimed}, "evidence_url": f"https://example.org/{pid}/{model}"},
                   token="Bearer " + tokens[pid])
        if measured is not None:
            call("POST", f"/api/contests/model-repro/submissions/{sub['id']}/verdict",
                 {"accepted": True, "measured": measured, "reason": "re-ran the evaluation"}, token=JUDGE)


def seed_members():
    """Bug-bash participants who joined the community (their sign-ups approved in the console), so
    the season ranks members and the operations figures have people."""
    joined = [("Alice", "github", "alice", "Beijing"), ("Bob", "github", "bob-dev", "Shanghai"),
              ("陈晨", "gitee", "chenchen", "Shanghai"), ("Dong", "github", "dongdong", "Hangzhou"),
              ("Eva", "github", "eva-l", "Beijing"), ("方芳", "gitee", "fangfang", "Shenzhen"),
              ("Gao Yuan", "github", "gaoyuan", "Beijing"), ("江涛", "github", "jiangtao", "Hangzhou")]
    for name, host, login, city in joined:
        request = call("POST", "/api/community/sign-ups", {"name": name, host: login, "city": city})
        if request.get("state") != "approved":  # one waits at a time: the limit per address stays far
            call("POST", f"/api/community/sign-ups/{request['request']}/approve", {})


if not call("GET", "/api/contests/model-repro/submissions")["submissions"]:
    seed_repro()
    seed_camp()
    seed_members()
    print("demo contests seeded: model-repro (reproductions), spring-camp (judged components, homework and a vote's entries), eight members")
