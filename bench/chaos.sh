#!/usr/bin/env bash
# Chaos: deliveries stream while faults are injected (server and Redis killed, Redis stalled,
# recomputes), then every delivery without a 2xx is redelivered and the boards are compared
# with a model computed independently of the engine. Goal: 0 lost, 0 doubled, 0 differences.
# usage: bash bench/chaos.sh [deliveries=6000] [faults=24] [rate=100] [seed=1]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deliveries=${1:-6000} faults=${2:-24} rate=${3:-100} seed=${4:-1}
bash "$root/scripts/install-deps.sh" --tests >/dev/null
npm ci --prefix "$root/tests/node" --no-audit --no-fund --loglevel=error >/dev/null
cmake --preset release -S "$root" >/dev/null
cmake --build "$root/build/release" -j "$(nproc)" >/dev/null
binary=${LB_BENCH_BINARY:-$root/build/release/gateway/leaderboard}
python3 "$root/bench/chaos.py" --binary "$binary" --deliveries "$deliveries" --faults "$faults" --rate "$rate" --seed "$seed"
