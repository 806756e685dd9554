"""Writes a seed corpus for every fuzz target into DIR/<target>/, from the tests' real
payloads (GitHub's from @octokit/webhooks-examples, Gitee's from its documented paths),
the bundled examples, and the requests the black-box tests send."""
import json
import os
import sys
from urllib.parse import quote_plus

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(HERE, "..", "blackbox"))
import payloads  # noqa: E402  (needs tests/node/node_modules: the test command installs it)


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def host_api_seeds():
    """The hosts' REST answers in their documented shapes (as the stand-in serves them)."""
    from host_standin import api_pull, delivery
    pulls = [api_pull(payloads.github_pr(number=n, labels=l)["pull_request"]) for n, l in ((1, ("bug",)), (2, ()))]
    pulls.append(api_pull(payloads.github_pr(number=3, merged=False)["pull_request"]))
    gitee = [payloads.gitee_pr(number=n)["pull_request"] for n in (4, 5)]
    deliveries = [delivery(1, "g-1", 502, "2026-11-26T08:00:00Z"), delivery(2, "g-1", 200, "2026-11-26T09:00:00Z", redelivery=True),
                  delivery(3, "g-2", 0, "2026-11-26T08:01:00Z"), delivery(4, "g-3", 500, "2026-11-26T08:02:00Z", event="issues")]
    hooks = [{"type": "Repository", "id": 42, "active": True, "events": ["pull_request"],
              "config": {"content_type": "json", "url": "https://lb.example.org/hooks/github"}}]
    link = b'<https://api.github.com/repositories/1/pulls?page=2>; rel="next", <https://api.github.com/repositories/1/pulls?page=5>; rel="last"'
    gitcode = [{**gitee[0], "merged_at": ""}, {**gitee[1], "merged_at": "2026-12-02T18:00:00+08:00"}]
    users = [{"id": 4242, "username": "ann.gl", "name": "Ann", "state": "active"}, {"id": "a1b2", "login": "ann_gc", "name": "Ann"}]
    gitlab_mrs = [{"iid": 3, "web_url": "https://gitlab.com/g/s/p/-/merge_requests/3", "title": "fix", "author": {"username": "ann.gl"},
                   "labels": ["bug"], "state": "merged", "merged_at": "2026-12-02T10:00:00.000Z", "updated_at": "2026-12-02T10:00:00.000Z"}]
    return [json.dumps(pulls).encode(), json.dumps(gitee, ensure_ascii=False).encode(), json.dumps(deliveries).encode(),
            json.dumps(hooks).encode(), link, b"[]", json.dumps(gitcode, ensure_ascii=False).encode(),
            json.dumps(users[0]).encode(), json.dumps(users[1]).encode(), json.dumps(gitlab_mrs).encode()]


def seeds():
    github = [json.dumps(payloads.github_pr(action=a, labels=l)).encode()
              for a, l in (("closed", ("bug",)), ("labeled", ("documentation", "spam")), ("closed", ()))]
    github += [json.dumps(e).encode() for e in payloads.GITHUB["pull_request"][:6]]
    gitee = [json.dumps(payloads.gitee_pr(action=a, action_desc=d), ensure_ascii=False).encode()
             for a, d in (("merge", None), ("update", "update_label"), ("open", None))]
    config = read("examples/geekweek.json")
    pr_lines = read("examples/geekweek-prs.ndjson").splitlines()
    facts = {"host": "github", "repo": "o/r", "number": 3, "url": "https://github.com/o/r/pull/3", "title": "fix",
             "author": "ann", "labels": ["bug"], "merged": True, "merged_at": 1764547200, "updated_at": 1764547200}
    award = {"at": 1764547200, "component": "pull_requests", "contrib": [["participants", "ann", 1100], ["teams:city", "shanghai", 1100]],
             "details": facts, "kind": "pull_request", "participant": "ann", "points": 1100, "reason": "base 1 + bug 10",
             "subject": "github:o/r#3", "version": 1764547200}
    submission = {"id": "s1", "participant": "ann", "model": "resnet50", "claimed": {"top1": 0.76},
                  "evidence_url": "https://example.org/run", "submitted_at": 1764547200, "sequence": 1, "verdict": "pending",
                  "measured": None, "auto_accepted": False, "judge": "", "verdict_reason": "", "judged_at": 0}
    recording_header = b'{"awards":1,"contest":"geekweek","recording":1,"starts_at":"2026-11-16T00:00:00+08:00"}'
    return {
        "request_target": [b"/api/contests/winter-bugbash/standings?board=teams%3Acity&limit=10&offset=0&format=csv",
                           b"/ws?contest=winter-bugbash&board=participants&limit=25&me=alice", b"/", b"/index.html",
                           b"/api/contests/%E4%B8%8A%E6%B5%B7/participants/alice", b"/api/contests/x/events?after=1764547200000-0&limit=5",
                           b"/hooks/github", b"/?q=a+b&x"],
        "github_payload": github,
        "gitee_payload": gitee,
        "merge_request_payload": [json.dumps(payloads.merge_request(h, action=a, state=st), ensure_ascii=False).encode()
                                  for h, a, st in (("gitcode", "merge", "merged"), ("gitlab", "update", "merged"),
                                                   ("atomgit", "open", "opened"), ("gitcode", "close", "closed"))]
                                 + [b'{"object_kind":"note"}'],
        "basic_credentials": [b"Basic aG9vazphZy1wYXNzd29yZA==", b"basic dXNlcjo=", b"Basic Og==", b"Bearer x", b"Basic a"],
        "form_body": [b"payload=" + quote_plus(json.dumps(payloads.github_pr())).encode(), b"x=1&payload=%7B%22a%22%3A1%7D"],
        "csv": [read("examples/spring-camp-participants.csv"), read("examples/spring-camp-teams.csv"),
                read("examples/spring-camp-scores.csv"), b"participant,points\r\nann,\"1,5\"\r\n"],
        "config": [config],
        "roster_rows": [json.dumps([{"id": "bob", "name": "Bob", "github": "bob", "teams": ["shanghai"]}]).encode(),
                        json.dumps([{"id": "lei", "name": "李雷", "github": "lilei", "person": "GW-000001"}], ensure_ascii=False).encode(),
                        json.dumps([{"id": "pku", "name": {"en": "PKU", "zh": "北京大学"}, "kind": "school"}], ensure_ascii=False).encode()],
        "ws_message": [b'{"type":"subscribe","contest":"winter-bugbash","board":"teams:city","limit":10,"me":"shanghai"}',
                       b'{"type":"resync"}', b'{"type":"subscribe","contest":"c","admin_token":"t"}'],
        "ledger_record": [json.dumps(award).encode(), json.dumps(submission).encode(),
                          json.dumps({**award, "kind": "adjustment", "details": {"actor": "ops"}, "subject": "adjustment:x"}).encode()],
        "spool_record": [json.dumps({"delivery": "github:72d3162e-cc78-11e3-81ab-4c9367dc0958", "pr": facts}).encode(),
                         json.dumps({"delivery": "gitlab:1f2e", "pr": {**facts, "host": "gitlab", "author": ""}, "author_id": 4242}).encode(),
                         json.dumps({"delivery": "gitee:" + "ab" * 32, "pr": {**facts, "host": "gitee", "merged_at": None}}).encode()],
        "gitee_credentials": [b"1633679083918\nXvh4YPVe6l31XpDRL9J2yeaEXabsckIoUUschpXiVck=",
                              b"1672135206524\nAbEvusCKxqRkBtTr4fD47SGVP%2FmRwlt48iuUYMFRloI%3D", b"1\nhunter2"],
        "pr_url": [b"https://github.com/example-org/framework/pull/12", b"https://gitee.com/example-org/framework/pulls/7",
                   b"https://gitcode.com/ibforuorg/test1/merge_requests/4", b"https://gitlab.com/g/sub/p/-/merge_requests/7",
                   b"https://github.com/o/r/pull/3/files#diff-1", b"https://github.com/o/r/pull/3?w=1", b"https://gitee.com/a/b/pulls/0"],
        "reveal_request": [b'{"action":"start","board":"participants","rows":10}', b'{"action":"next"}', b'{"action":"back"}',
                           b'{"action":"auto","pace_seconds":2.5}', b'{"action":"pause"}', b'{"action":"stop"}',
                           b'{"active":true,"board":"teams:city","rows":5,"step":2,"auto":false,"pace_seconds":3}'],
        "host_api": host_api_seeds(),
        "recording": [recording_header + b"\n" + b'{"t":1764547200000,"award":' + json.dumps(award).encode() + b"}\n",
                      recording_header + b"\n", b'{"recording":2}\n'],
        "sign_up": ['{"name":"李雷","github":"Li-Lei","city":"上海","school":"复旦大学"}'.encode(),
                    b'{"name":"Wu","gitcode":"wu_1","atomgit":"wu.2","gitlab":"wu-3"}',
                    b'{"name":"Han","gitee":"han_mei.mei","company":"Example"}', b'{"name":"x","github":"-bad"}',
                    b'{"name":"x","github":"a","gitee":"bb","city":null}', b'{"name":"Han","gitee":"han","":"Han"}',
                    '{"kind":"city","chapter":"北京","since":"2026-02-01T00:00:00+08:00","reason":"moved"}'.encode(),
                    b'{"kind":"school","chapter":"PKU"}'],
        "community_record": ['{"id":"MSG-000001","name":"李雷","github":"lilei","gitee":"","registered_at":1764547200,"memberships":[{"kind":"city","chapter":"上海","since":1764547200,"until":1767225600},{"kind":"city","chapter":"北京","since":1767225600}]}'.encode(),
                             b'{"registered_at":1.5e9,"memberships":[{"kind":"school","chapter":"","since":1},7]}',
                             '{"memberships":[{"kind":"school","chapter":"ZJU","since":5},{"kind":"school","chapter":"北京大学","since":9},{"kind":"city","chapter":"sh","since":1},{"kind":"city","chapter":"Hangzhou","since":7}]}'.encode(),
                             b"2\n1764547200 github:example-org/framework#12 github:ann\n1764547260 gitee:o/r#3 gitee:bob\n", b"0\n"],
        "id_list": [b"alice,bob,chen", b"alice", b"a.b_c-d,a.b_c-d", b",".join(b"p%d" % i for i in range(200))],
        "homework": ['{"component":"homework","assignment":"w1","url":"https://gitee.com/ann/notes/blob/main/w1.md","note":"第一周：复现 ResNet"}'.encode(),
                     b'{"component":"homework","assignment":"w2","url":"http://example.org/v.mp4"}', b'{"points":87.5,"comment":"clear"}',
                     b'{"points":100}', b'{"component":"homework","assignment":"w9","url":"javascript:x"}', b"homework:w1:ann",
                     b'{"component":"homework","assignment":"w1","participant":"ann","url":"https://x.org","note":"","handed_at":1796169600,"late":false,"score":8750,"judge":"ana","comment":"ok","scored_at":1796256000}'],
        "votes": [b'{"url":"https://b23.tv/BV1demo","title":"21 \xe5\xa4\xa9\xe5\xad\xa6\xe4\xb9\xa0\xe7\xac\x94\xe8\xae\xb0"}',
                  b'{"entries":["bo","cy"]}', b'{"entries":["ann"]}', b'{"entries":["bo","bo"]}', b'{"entries":["bo","cy","ann","x"]}',
                  b'{"voter":"VOTE-000001","entries":["bo","cy"],"cast_at":1797000000,"client":"10.0.0.1","voided":true,"void_reason":"bought","voided_by":"admin"}',
                  b'{"participant":"bo","url":"https://example.org/bo","title":"Bo","handed_at":1796169600}', b'{"url":"javascript:x","title":""}'],
        "certificate": [b"0123456789abcdef0123456789abcdef", b"0123456789ABCDEF0123456789abcdef", b"../../etc/passwd",
                        '{"id":"0123456789abcdef0123456789abcdef","contest":"camp","contest_title":{"en":"Spring camp","zh":"春季训练营"},"participant":"ann","name":"Ann","community_id":"GW-000001","rank":1,"title":{"en":"Champion","zh":"冠军"},"ended_at":1798761600,"issued_at":1798765200,"revision":2}'.encode(),
                        b'{"id":"x","contest":"c","participant":"p","rank":9223372036854775807,"revision":9223372036854775807}'],
        "sign_in": [b"\x00" + b'{"id":583231,"login":"octocat","name":"The Octocat"}', b"\x00" + b'{"id":"5f3a","login":"gc_user"}',
                    b"\x00" + b'{"id":7,"username":"group.user"}', b"\x01" + b'{"access_token":"gho_16C7e42F292c6912E7710c838347Ae178B4a","token_type":"bearer"}',
                    b"\x01" + b'{"error":"bad_verification_code","error_description":"The code passed is incorrect or expired."}',
                    b"\x02" + b"code=abc123&state=" + b"A" * 43, b"\x02" + b"error=access_denied&state=" + b"B" * 43,
                    b"\x03" + b"lb_sign_in=x; lb_session=" + b"C" * 43, b"\x03/join?lang=zh", b"\x03//elsewhere.example"],
        "phone_link": [b"http://127.0.0.1:8080", b"https://hall.example.org", b"http://[::1]:8080", b"http://a.org/x"],
        "untrusted_json": [config, json.dumps(award).encode(), b'{"a":[1,2,{"b":null}],"c":"\\u4e0a"}'] + pr_lines[:3],
    }


def main():
    out = sys.argv[1]
    for target, items in seeds().items():
        folder = os.path.join(out, target)
        os.makedirs(folder, exist_ok=True)
        for i, item in enumerate(items):
            with open(os.path.join(folder, f"seed-{i:02d}"), "wb") as f:
                f.write(item)
    print(f"seed corpora written to {out}")


if __name__ == "__main__":
    main()
