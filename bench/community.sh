#!/usr/bin/env bash
# The community's reads over a large history: 100,000 people and 1,000,000 merged PRs (each a
# ledger record of a year-long contest and a merge of the community's activity), then timed GETs
# of the operations figures (a week's contest, the whole year, the season of both), public profiles
# and a season's boards (kept per state: the first read after a change computes, the rest are
# answered from it), then a hall of season pages reading at once after each of a few changes.
# usage: bench/community.sh [merges=1000000] [people=100000] [repeats=15]
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_env.sh"
merges=${1:-1000000} people=${2:-100000} repeats=${3:-15}
build_release
python3 - "$people" > "$work/config.json" <<'PY'
import json, sys
n = int(sys.argv[1])
teams = [{"id": f"city{i}", "name": f"City {i}", "kind": "city"} for i in range(10)]
teams += [{"id": f"school{i}", "name": f"School {i}", "kind": "school"} for i in range(10)]
def person(i):
    return {"id": f"user{i}", "name": f"User {i}", "github": f"user{i}", "person": f"MSG-{i + 1:06d}",
            "teams": [f"city{i % 10}", f"school{i % 10}"]}
def contest(cid, starts, ends, count):
    return {"id": cid, "title": cid, "starts_at": starts, "ends_at": ends, "repos": ["github:example-org/framework"],
            "teams": teams, "participants": [person(i) for i in range(count)], "rules": {"pull_requests": {"base_points": 1}}}
print(json.dumps({"admin_token_env": "LB_ADMIN_TOKEN", "community": {"id_prefix": "MSG-", "id_width": 6},
                  "contests": [contest("year", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", n),
                               contest("week", "2026-11-02T00:00:00Z", "2026-11-09T00:00:00Z", n // 10)],
                  "seasons": [{"id": "all", "title": "All", "contests": [{"id": "year", "weight": 1}, {"id": "week", "weight": 2}]}]}))
PY
start_redis
# People as approval writes them (engine/store/lua/decide_sign_up.lua), through redis-cli --pipe.
python3 - "$people" <<'PY' | redis-cli -p "$redis_port" --pipe >/dev/null
import json, sys
out = sys.stdout.buffer
def command(*args):
    out.write(b"*%d\r\n" % len(args))
    for a in args:
        a = a.encode()
        out.write(b"$%d\r\n%s\r\n" % (len(a), a))
for i in range(int(sys.argv[1])):
    pid = f"MSG-{i + 1:06d}"
    at = 1767225600 + i * 60
    memberships = [{"kind": "city", "chapter": f"City {i % 10}", "since": at}]
    if i % 100 == 0:  # one in a hundred moved in July: their points are split by date
        memberships = [{"kind": "city", "chapter": f"City {i % 10}", "since": at, "until": 1782864000},
                       {"kind": "city", "chapter": f"City {(i + 1) % 10}", "since": 1782864000}]
    record = {"id": pid, "name": f"User {i}", "github": f"user{i}", "gitee": "", "registered_at": at, "approved_at": at,
              "memberships": memberships}
    command("HSET", "lb:{community}:people", pid, json.dumps(record))
    command("HSET", "lb:{community}:logins", f"github:user{i}", pid)
command("SET", "lb:{community}:person_seq", sys.argv[1])
PY
# Merges spread over the year, by every person in turn (a tenth of them in the week's window).
python3 - "$merges" "$people" > "$work/prs.ndjson" <<'PY'
import json, sys, datetime
count, people = int(sys.argv[1]), int(sys.argv[2])
start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc).timestamp()
for i in range(count):
    at = datetime.datetime.fromtimestamp(start + (i * 31449600 // count), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    print(json.dumps({"host": "github", "repo": "example-org/framework", "number": i + 1, "author": f"user{(i * 7919) % people}",
                      "merged_at": at, "updated_at": at}))
PY
started=$(date +%s.%N)
"$binary" import-prs --config "$work/config.json" --contest year --file "$work/prs.ndjson" --redis "redis://127.0.0.1:$redis_port/0" >/dev/null
echo "loaded $merges merges and ledger records in $(python3 -c "print(round($(date +%s.%N) - $started, 1))") s (import-prs, one blocking connection)"
echo "ledger records: $(redis-cli -p "$redis_port" HLEN 'lb:{year}:ledger'), merges: $(redis-cli -p "$redis_port" ZCARD 'lb:{community}:merges'), people: $(redis-cli -p "$redis_port" HLEN 'lb:{community}:people')"
start_server
curl_args=(-H "Authorization: Bearer bench-admin")
measure "operations, week contest ($((people / 10)) participants)" "/api/contests/week/operations"
measure "operations, week contest, CSV" "/api/contests/week/operations?format=csv"
measure "operations, year contest ($people participants, every merge)" "/api/contests/year/operations"
measure "operations, season (the year and the week: every merge, $people people)" "/api/seasons/all/operations"
measure "profile of a person with $((merges / people)) awards" "/api/people/MSG-000042"
measure "profile page" "/people/MSG-000042"
measure "season people board ($people members, two contests)" "/api/seasons/all/standings"
measure "season city board ($((people / 100)) members moved)" "/api/seasons/all/standings?board=chapters:city"
# A change (the community's member counter moves), then 50 season pages reading at once, as the
# page does when a contest moves (one client, 50 threads): kept per state, one read computes and
# the others wait for it. The last round keeps changing the state every 20 ms while they read, as
# a contest busy with awards would.
for round in 1 2 3 busy; do
  redis-cli -p "$redis_port" INCR 'lb:{community}:person_seq' >/dev/null
  changing=
  if [[ $round == busy ]]; then
    (while true; do redis-cli -p "$redis_port" INCR 'lb:{community}:person_seq' >/dev/null; sleep 0.02; done) &
    changing=$!
  fi
  python3 - "http://127.0.0.1:$port/api/seasons/all/standings" "$round" <<'PY'
import concurrent.futures, statistics, sys, time, urllib.error, urllib.request
url, round_ = sys.argv[1], sys.argv[2]
def get(_):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.monotonic() - started) * 1000
started = time.monotonic()
with concurrent.futures.ThreadPoolExecutor(50) as pool:
    answers = list(pool.map(get, range(50)))
total = (time.monotonic() - started) * 1000
times = sorted(t for _, t in answers)
statuses = {s: sum(1 for a, _ in answers if a == s) for s in sorted({s for s, _ in answers})}
print(f"season people board, 50 readers at once after a change (round {round_}): all answered in {total:.0f} ms, "
      f"median {statistics.median(times):.0f} ms, slowest {times[-1]:.0f} ms, statuses {statuses}")
PY
  [[ -n $changing ]] && { kill "$changing"; wait "$changing" 2>/dev/null || true; }
done
