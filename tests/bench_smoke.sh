#!/usr/bin/env bash
# A few seconds of each benchmark tool against a real server, so the tools keep working.
# usage: bench_smoke.sh LEADERBOARD BENCH_INGEST BENCH_LEDGER REDIS_DIR
set -euo pipefail
binary=$1 ingest=$2 ledger=$3 redis_dir=$4
root=$(cd "$(dirname "$0")/.." && pwd)
redis_port=$(cat "$redis_dir/port")
work=$(mktemp -d /tmp/lb-smoke-XXXXXX)
reference=""
trap 'kill $server $reference 2>/dev/null || true; rm -rf "$work"' EXIT
redis-cli -p "$redis_port" -n 70 FLUSHDB >/dev/null
python3 - > "$work/config.json" <<'PY'
import json
print(json.dumps({"admin_token_env": "LB_ADMIN_TOKEN", "webhooks": {"github": {"secret_env": "LB_GITHUB_SECRET"},
  "gitee": {"secret_env": "LB_GITEE_SECRET", "mode": "signature", "timestamp_window_seconds": 3600}},
  "contests": [{"id": "bench", "title": "Bench", "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-31T00:00:00Z",
    "repos": ["github:example-org/framework", "gitee:example-org/framework"], "teams": [{"id": "c", "name": "C", "kind": "city"}],
    "participants": [{"id": f"user{i}", "name": f"U{i}", "github": f"user{i}", "gitee": f"user{i}", "teams": ["c"]} for i in range(10)],
    "rules": {"pull_requests": {"base_points": 1, "label_points": {"bug": 10, "documentation": 2}}}}]}))
PY
LB_GITHUB_SECRET=s LB_GITEE_SECRET=s LB_ADMIN_TOKEN=a "$binary" serve --config "$work/config.json" --redis "redis://127.0.0.1:$redis_port/70" \
  --listen 127.0.0.1:0 --spool "$work/spool" > "$work/out" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q "listening on" "$work/out" && break; sleep 0.1; done
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\)\/.*/\1/p' "$work/out" | head -1)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
result=$("$ingest" --port "$port" --secret s --seconds 2 --connections 4 --authors 10 \
  --example "$root/tests/node/node_modules/@octokit/webhooks-examples/api.github.com/index.json")
echo "ingest: $result"
expected=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["expected_points"])' "$result")
held=$(curl -s "http://127.0.0.1:$port/api/contests/bench/standings?board=teams:city" | python3 -c 'import json,sys; print(int(sum(r["points"] for r in json.load(sys.stdin)["rows"])))')
[ "$expected" = "$held" ] || { echo "boards hold $held, sent $expected"; exit 1; }
gitee=$("$ingest" --port "$port" --secret s --host gitee --seconds 1 --connections 4 --authors 10)
echo "ingest (gitee): $gitee"
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["errors"] == 0 and r["accepted"] > 0, r' "$gitee"
# the Node.js reference receiver that bench/ingest.sh compares us with (receiver=node)
redis-cli -p "$redis_port" -n 72 FLUSHDB >/dev/null
node "$root/bench/node_receiver.mjs" --port 0 --redis-port "$redis_port" --redis-db 72 --secret s > "$work/node" 2>&1 &
reference=$!
for _ in $(seq 100); do grep -q "^ready" "$work/node" && break; sleep 0.1; done
node_port=$(awk '/^ready/ { print $2 }' "$work/node")
node_result=$("$ingest" --port "$node_port" --secret s --seconds 1 --connections 4 --authors 10 \
  --example "$root/tests/node/node_modules/@octokit/webhooks-examples/api.github.com/index.json")
echo "ingest (node reference): $node_result"
node_held=$(redis-cli -p "$redis_port" -n 72 ZRANGE node:board 0 -1 WITHSCORES | awk 'NR % 2 == 0 { s += $1 } END { print s + 0 }')
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["errors"] == 0 and r["accepted"] > 0 and r["expected_points"] == int(sys.argv[2]), (r, sys.argv[2])' "$node_result" "$node_held"
kill $reference
fanout=$(node "$root/bench/fanout.mjs" --port "$port" --pid "$server" --viewers 20 --rate 20 --seconds 2 --processes 1 --secret s --authors 10 --silent 0.2)
echo "fanout: $fanout"
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["merges_failed"] == 0 and r["deliveries_seen"] > 0 and r["silent_viewers"] == 4, r' "$fanout"
# recompute: a generated ledger in a database of its own, rebuilt by the CLI
redis-cli -p "$redis_port" -n 71 FLUSHDB >/dev/null
"$ledger" --config "$work/config.json" --contest bench --awards 2000 | redis-cli -p "$redis_port" -n 71 --pipe >/dev/null
rebuilt=$("$binary" recompute --config "$work/config.json" --contest bench --redis "redis://127.0.0.1:$redis_port/71" 2>/dev/null | tail -1)
echo "recompute: $rebuilt"
[[ "$rebuilt" == "2000 awards, 0 re-derived, "* ]] || { echo "unexpected recompute result"; exit 1; }
echo "1 passed, 0 failed"
