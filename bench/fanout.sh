#!/usr/bin/env bash
# Merge-to-screen latency and fan-out: viewers on one gateway, merges at a fixed rate.
# usage: bench/fanout.sh [viewers=5000] [rate=100] [seconds=20] [runs=3] [processes=2] [silent fraction=0]
# (silent 0.1: every tenth viewer never reads; latency is measured over the others)
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_env.sh"
viewers=${1:-5000} rate=${2:-100} seconds=${3:-20} runs=${4:-3} processes=${5:-2} silent=${6:-0}
ulimit -n "$(ulimit -Hn)"
build_release
write_config 1000
for run in $(seq "$runs"); do
  start_redis
  start_server
  echo "run $run: $(node "$root/bench/fanout.mjs" --port "$port" --pid "${pids[-1]}" --viewers "$viewers" --rate "$rate" \
    --seconds "$seconds" --processes "$processes" --silent "$silent" --viewers-binary "$root/build/release/bench/bench_viewers")"
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
  redis-cli -p "$redis_port" shutdown nosave >/dev/null; rm -rf "$work/appendonlydir"
done
