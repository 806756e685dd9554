#!/usr/bin/env bash
# Instructions the server spends per delivery (valgrind's callgrind counts instructions, so the
# figure repeats whatever else the shared cores are doing), for this build and, with
# LB_BENCH_BASELINE=/path/to/leaderboard, for another one, one after the other.
# usage: bash bench/instructions.sh [seconds=25] [host=github|gitee]
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_env.sh"
seconds=${1:-25} host=${2:-github}
build_release
[[ $host == gitcode ]] && export LB_BENCH_GITCODE=1
write_config 1000
start_redis
builds=("$root/build/release/gateway/leaderboard")
[ -n "${LB_BENCH_BASELINE:-}" ] && builds=("$LB_BENCH_BASELINE" "${builds[@]}")
count() { grep -m1 '^summary:' "$1" | awk '{print $2}'; }
for build in "${builds[@]}"; do
  for phase in idle load; do
    redis-cli -p "$redis_port" FLUSHALL >/dev/null
    LB_GITHUB_SECRET=bench-secret LB_GITEE_SECRET=bench-secret LB_GITCODE_SECRET=bench-secret valgrind --tool=callgrind --callgrind-out-file="$work/cg.$phase" \
      "$build" serve --config "$work/config.json" --redis "redis://127.0.0.1:$redis_port/0" --listen "127.0.0.1:$port" \
      --spool "$work/spool-$phase" --role webhooks >/dev/null 2>&1 &
    server=$!
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
    accepted=0
    if [ $phase = load ]; then
      result=$("$root/build/release/bench/bench_ingest" --port "$port" --secret bench-secret --host "$host" --seconds "$seconds" \
        --connections 4 --authors 1000 --example "$root/tests/node/node_modules/@octokit/webhooks-examples/api.github.com/index.json")
      accepted=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["accepted"])' "$result")
    else
      sleep 2
    fi
    kill -TERM $server; wait $server || true
  done
  # Start-up and idle polling are counted apart and taken off.
  echo "$build: $host, $accepted deliveries, $(( ($(count "$work/cg.load") - $(count "$work/cg.idle")) / accepted )) instructions per delivery"
done
