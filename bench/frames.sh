#!/usr/bin/env bash
# Frame times of the live board in Chromium (bench/frames.mjs), for a 1,000-row board and,
# beside it, a 20-row and a 1-row one under the same per-frame changes.
# usage: bash bench/frames.sh [seconds=10]
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_env.sh"
seconds=${1:-10}
build_release
write_config 10
start_redis
start_server
for rows in 1000 20 1; do node "$root/bench/frames.mjs" --base "http://127.0.0.1:$port" --rows "$rows" --seconds "$seconds"; done
