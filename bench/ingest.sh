#!/usr/bin/env bash
# Ingest: signed merged-PR deliveries of real size (~25 KB) over keep-alive
# loopback connections, then a check that the boards hold exactly what was sent,
# then the ceiling: the same award script driven by redis-benchmark, no HTTP.
# usage: bench/ingest.sh [seconds=20] [connections=32] [runs=3] [server threads=1] [host=github|gitee|gitcode] [ceiling=yes|no] [receiver=ours|node]
# (receiver=node: the same deliveries to bench/node_receiver.mjs, the Node.js reference, GitHub only)
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_env.sh"
seconds=${1:-20} connections=${2:-32} runs=${3:-3} threads=${4:-1} host=${5:-github} ceiling=${6:-yes} receiver=${7:-ours}
[[ $receiver == ours || $host == github ]] || { echo "receiver=node takes GitHub deliveries only" >&2; exit 64; }
build_release
[[ $host == gitcode ]] && export LB_BENCH_GITCODE=1
write_config 1000
for run in $(seq "$runs"); do
  start_redis
  if [[ $receiver == node ]]; then
    node "$root/bench/node_receiver.mjs" --port "$port" --redis-port "$redis_port" --secret bench-secret > "$work/node.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do grep -q "^ready" "$work/node.log" && break; sleep 0.1; done
  else
    start_server --threads "$threads"
  fi
  redis_pid=$(redis-cli -p "$redis_port" INFO server | tr -d '\r' | awk -F: '/^process_id/ {print $2}')
  server_before=$(cpu_ticks "${pids[-1]}") redis_before=$(cpu_ticks "$redis_pid")
  result=$("$root/build/release/bench/bench_ingest" --port "$port" --secret bench-secret --host "$host" --seconds "$seconds" \
    --connections "$connections" --authors 1000 --example "$root/tests/node/node_modules/@octokit/webhooks-examples/api.github.com/index.json")
  accepted=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["accepted"])' "$result")
  # CPU per delivery is steadier than deliveries per second on shared cores: the noise of others' load mostly cancels.
  cpu="server_us=$(per_delivery "$server_before" "$(cpu_ticks "${pids[-1]}")" "$accepted") redis_us=$(per_delivery "$redis_before" "$(cpu_ticks "$redis_pid")" "$accepted")"
  expected=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["expected_points"])' "$result")
  # Every delivery's author is in exactly one city: the cities' points add up to everything sent.
  if [[ $receiver == node ]]; then
    on_boards=$(redis-cli -p "$redis_port" ZRANGE node:board 0 -1 WITHSCORES | awk 'NR % 2 == 0 { s += $1 } END { print s + 0 }')
  else
    on_boards=$(curl -s "http://127.0.0.1:$port/api/contests/bench/standings?board=teams:city&limit=100" |
      python3 -c 'import json,sys; print(int(sum(r["points"] for r in json.load(sys.stdin)["rows"])))')
  fi
  echo "run $run: $result boards=$on_boards $cpu"
  [ "$expected" = "$on_boards" ] || { echo "MISMATCH: sent $expected points, boards hold $on_boards" >&2; exit 1; }
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
  redis-cli -p "$redis_port" shutdown nosave >/dev/null; rm -rf "$work/appendonlydir"
done

[[ $ceiling == yes ]] || exit 0
# The ceiling: the award script alone, pipelined by redis-benchmark with the same record shape.
start_redis
# 1 point an award: 400,000 of them to one participant stay within a total's limit (docs/design.md "Ties").
record='{"at":1796169600,"component":"pull_requests","contrib":[["participants","user1",100],["component:pull_requests","user1",100],["teams","city1",100],["teams:city","city1",100],["teams","school1",100],["teams:school","school1",100]],"details":{},"kind":"pull_request","participant":"user1","points":100,"reason":"","subject":"x","version":1796169600}'
sha=$(redis-cli -p "$redis_port" SCRIPT LOAD "$("$binary" print-script apply_award)")
echo "ceiling (redis-benchmark, award script, 50 clients, pipeline 16):"
# Every key the script touches is declared, as the server declares them (store/lua/apply_award.lua).
p='lb:{bench}:'
declared=("${p}ledger" "${p}log" "${p}audit" "${p}frozen_now" "${p}unfrozen" "${p}frozen_boards" "${p}unattributed" "${p}held"
  "${p}final" "${p}after_final" "${p}tie_encoding")
for row in participants:user1 component:pull_requests:user1 teams:city1 teams:city:city1 teams:school1 teams:school:school1; do
  board=${row%:*} member=${row##*:}
  contributors=$board; [[ $board == teams:* ]] && contributors=teams
  declared+=("${p}board:$board" "${p}frozen:$board" "${p}ctr:$contributors:$member")
done
declared+=("${p}subjects:user1")
redis-benchmark -p "$redis_port" -n 400000 -r 100000000 -c 50 -P 16 -q \
  EVALSHA "$sha" "${#declared[@]}" "${declared[@]}" "$p" 1796083200 0 '' '' 0 'score=-centi*2^26+seconds' \
  'github:o/r#__rand_int__' "$record" \
  | tr '\r' '\n' | grep 'requests per second'
