"""Makes examples/geekweek-rehearsal.ndjson, the recorded geek week the run command replays.

The week's merges (examples/geekweek-week-prs.ndjson and as many again drawn from a fixed seed,
some relabelled a few hours later) are scored by the engine itself (`import-prs` into the
winter-bugbash contest of a scratch Redis database), recorded with `record`, and each award's
time set to when its merge (or relabel) happened, so a replay plays the week as it went.

    python3 examples/make_recording.py build/release/gateway/leaderboard redis://127.0.0.1:6379/15
"""
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
CST = timezone(timedelta(hours=8))
TITLES = ["fix: off-by-one in the pager", "docs: explain the config reload", "fix: leak in the stream reader",
          "feat: export as CSV", "test: cover the retry path", "fix: 中文文件名的编码", "docs: 新手指南补充示例",
          "refactor: split the scheduler", "fix: race in the cache warm-up", "ci: cache the toolchain"]
LABELS = [["bug"], ["documentation"], ["good first issue"], [], ["bug"], ["documentation"], []]


def drawn_prs(config, count, seed=2026):
    rng = random.Random(seed)
    contest = next(c for c in config["contests"] if c["id"] == "winter-bugbash")
    people = [(p.get("github"), p.get("gitee")) for p in contest["participants"]]
    start = datetime(2026, 11, 17, 9, 0, tzinfo=CST)
    out = []
    for i in range(count):
        github, gitee = rng.choice(people)
        host = "github" if github and (not gitee or rng.random() < 0.6) else "gitee"
        login = github if host == "github" else gitee
        repo = "example-org/docs" if host == "github" and rng.random() < 0.2 else "example-org/framework"
        merged = start + timedelta(minutes=rng.randrange(0, 7 * 24 * 60 - 9 * 60))
        number = 400 + i
        url = f"https://{host}.com/{repo}/pull{'s' if host == 'gitee' else ''}/{number}"
        pr = {"host": host, "repo": repo, "number": number, "url": url, "title": rng.choice(TITLES), "author": login,
              "labels": rng.choice(LABELS), "merged": True, "merged_at": merged.isoformat(),
              "updated_at": (merged + timedelta(seconds=5)).isoformat()}
        out.append(pr)
        if rng.random() < 0.05:  # a maintainer relabels it later that day
            out.append(dict(pr, labels=["bug"], updated_at=(merged + timedelta(hours=rng.randrange(1, 6))).isoformat()))
    return out


def main():
    binary, redis = sys.argv[1], sys.argv[2]
    config_path = os.path.join(HERE, "geekweek.json")
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    with open(os.path.join(HERE, "geekweek-week-prs.ndjson"), encoding="utf-8") as f:
        prs = [json.loads(line) for line in f if line.strip()]
    prs += drawn_prs(config, 160)
    prs.sort(key=lambda pr: pr["updated_at"])
    db = int(redis.rsplit("/", 1)[1])
    port = int(redis.split(":")[2].split("/")[0])
    subprocess.run(["redis-cli", "-p", str(port), "-n", str(db), "FLUSHDB"], check=True, capture_output=True)
    with tempfile.TemporaryDirectory() as scratch:
        prs_file, recorded = os.path.join(scratch, "prs.ndjson"), os.path.join(scratch, "recorded.ndjson")
        with open(prs_file, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(pr, ensure_ascii=False) + "\n" for pr in prs)
        subprocess.run([binary, "import-prs", "--config", config_path, "--contest", "winter-bugbash", "--file", prs_file,
                        "--redis", redis], check=True)
        subprocess.run([binary, "record", "--config", config_path, "--contest", "winter-bugbash", "--out", recorded,
                        "--redis", redis], check=True)
        with open(recorded, encoding="utf-8") as f:
            header, *lines = [json.loads(line) for line in f if line.strip()]
    for item in lines:  # when it happened on the hosts, not when the import ran
        item["t"] = item["award"]["details"]["updated_at"] * 1000
    lines.sort(key=lambda item: item["t"])
    with open(os.path.join(HERE, "geekweek-rehearsal.ndjson"), "w", encoding="utf-8") as f:
        f.write(json.dumps(header, ensure_ascii=False) + "\n")
        f.writelines(json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n" for item in lines)
    subprocess.run(["redis-cli", "-p", str(port), "-n", str(db), "FLUSHDB"], check=True, capture_output=True)
    print(f"examples/geekweek-rehearsal.ndjson: {len(lines)} awards")


if __name__ == "__main__":
    main()
