#!/usr/bin/env bash
# Chaos: deliveries stream while faults are injected (server and Redis killed, Redis stalled,
# recomputes), then every delivery without a 2xx is redelivered and the boards are compared
# with a model computed independently of the engine. Goal: 0 lost, 0 doubled, 0 differences.
# Redis runs as the run command starts it (deploy/redis/persistence.conf).
# usage: bash bench/chaos.sh [deliveries=6000] [faults=30] [rate=100] [seed=today's date YYYYMMDD, or fresh]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deliveries=${1:-6000} faults=${2:-30} rate=${3:-100} seed=${4:-$(date +%Y%m%d)}
bash "$root/scripts/install-deps.sh" --tests >/dev/null
npm ci --prefix "$root/tests/node" --no-audit --no-fund --loglevel=error >/dev/null
cmake --preset release -S "$root" >/dev/null
cmake --build "$root/build/release" -j "$(nproc)" >/dev/null
binary=${LB_BENCH_BINARY:-$root/build/release/gateway/leaderboard}
python3 "$root/bench/chaos.py" --binary "$binary" --deliveries "$deliveries" --faults "$faults" --rate "$rate" --seed "$seed"
