#!/usr/bin/env bash
# Soak: 200 deliveries/s and 2,000 viewers that connect, subscribe, switch boards and leave,
# for MINUTES; each minute the server's RSS and open files and Redis' memory are printed, then
# the RSS drift after warm-up. usage: bash bench/soak.sh [minutes=120] [rate=200] [viewers=2000]
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_env.sh"
minutes=${1:-120} rate=${2:-200} viewers=${3:-2000}
ulimit -n "$(ulimit -Hn)"
build_release
write_config 1000
start_redis
start_server
node "$root/bench/soak.mjs" --port "$port" --pid "${pids[-1]}" --redis-port "$redis_port" --minutes "$minutes" \
  --rate "$rate" --viewers "$viewers"
