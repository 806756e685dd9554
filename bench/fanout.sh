#!/usr/bin/env bash
# Merge-to-screen latency and fan-out: viewers on one gateway (or two behind nginx), merges at a fixed rate.
# usage: bench/fanout.sh [viewers=5000] [rate=100] [seconds=20] [runs=3] [processes=2] [silent fraction=0] [roles=one|split|nginx]
# (silent 0.1: every tenth viewer never reads; latency is measured over the others)
# (roles=split: webhooks go to a `--role webhooks` process, viewers to a `--role gateway` one)
# (roles=nginx: a receiver and two gateways behind nginx with deploy/nginx/leaderboard.conf;
#  webhooks and viewers both go through nginx; memory is the first gateway's, holding half)
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_env.sh"
viewers=${1:-5000} rate=${2:-100} seconds=${3:-20} runs=${4:-3} processes=${5:-2} silent=${6:-0} roles=${7:-one}
ulimit -n "$(ulimit -Hn)"
build_release
write_config 1000
hooks_port=$port
[[ $roles == split || $roles == nginx ]] && hooks_port=$(free_port)
front=$port
for run in $(seq "$runs"); do
  start_redis
  if [[ $roles == split ]]; then
    listen_port=$hooks_port start_server --role webhooks
    start_server --role gateway
  elif [[ $roles == nginx ]]; then
    listen_port=$hooks_port start_server --role webhooks
    gateway_ports=("$(free_port)" "$(free_port)")
    listen_port=${gateway_ports[1]} start_server --role gateway
    listen_port=${gateway_ports[0]} start_server --role gateway
    start_nginx "$front" "${gateway_ports[@]}"
  else
    start_server
  fi
  memory_pid=${pids[-1]} send_hooks=$hooks_port
  [[ $roles == nginx ]] && memory_pid=${pids[-2]} send_hooks=$front  # the gateway started last, before nginx
  echo "run $run: $(node "$root/bench/fanout.mjs" --port "$port" --hooks-port "$send_hooks" --pid "$memory_pid" --viewers "$viewers" \
    --rate "$rate" --seconds "$seconds" --processes "$processes" --silent "$silent" --viewers-binary "$root/build/release/bench/bench_viewers")"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pids=()
  redis-cli -p "$redis_port" shutdown nosave >/dev/null; rm -rf "$work/appendonlydir"
done
