#!/usr/bin/env bash
# Export: standings of 100,000 participants as JSON and CSV over HTTP, full and top-100.
# usage: bench/export.sh [participants=100000] [repeats=15]
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_env.sh"
participants=${1:-100000} repeats=${2:-15}
build_release
write_config "$participants"
start_redis
python3 - "$participants" > "$work/prs.ndjson" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"host": "github", "repo": "example-org/framework", "number": i + 1, "author": f"user{i}",
                      "labels": ["bug"] if i % 3 == 0 else [], "merged_at": f"2026-12-0{1 + i % 9}T{i % 24:02d}:00:00Z",
                      "updated_at": "2026-12-10T00:00:00Z", "title": f"fix {i}", "url": f"https://github.com/example-org/framework/pull/{i + 1}"}))
PY
started=$(date +%s.%N)
"$binary" import-prs --config "$work/config.json" --contest bench --file "$work/prs.ndjson" --redis "redis://127.0.0.1:$redis_port/0" >/dev/null
echo "loaded $participants awards in $(python3 -c "print(round($(date +%s.%N) - $started, 1))") s (import-prs, one blocking connection)"
start_server
base="/api/contests/bench/standings?board=participants"
measure "top-100 JSON" "$base&limit=100"
measure "top-100 CSV" "$base&limit=100&format=csv"
measure "all $participants JSON" "$base&limit=1000000"
measure "all $participants CSV" "$base&limit=1000000&format=csv"
measure "team board JSON" "/api/contests/bench/standings?board=teams&limit=100"
