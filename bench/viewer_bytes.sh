#!/usr/bin/env bash
# Bytes per viewer per minute: the page's old subscription beside the phone view's, at a
# merge rate, over one minute (a 1,000-participant contest, one gateway).
# usage: bash bench/viewer_bytes.sh [rate=100] [seconds=60] [viewers per kind=20]
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_env.sh"
rate=${1:-100} seconds=${2:-60} viewers=${3:-20}
build_release
write_config 1000
start_redis
start_server
node "$root/bench/viewer_bytes.mjs" --port "$port" --rate "$rate" --seconds "$seconds" --viewers "$viewers"
