#!/usr/bin/env bash
# Recompute: rebuild every board of a contest from a ledger of N logged awards
# (merged PRs of 100,000 participants in 10 cities and 10 schools), timed end to end
# through `leaderboard recompute`, dry run and real; medians of several runs.
# usage: bench/recompute.sh [awards=1000000] [runs=3]
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_env.sh"
awards=${1:-1000000} runs=${2:-3}
build_release
write_config 100000
start_redis
started=$(date +%s.%N)
"$root/build/release/bench/bench_ledger" --config "$work/config.json" --contest bench --awards "$awards" |
  redis-cli -p "$redis_port" --pipe >/dev/null
echo "ledger of $(redis-cli -p "$redis_port" HLEN 'lb:{bench}:ledger') awards written in $(python3 -c "print(round($(date +%s.%N) - $started, 1))") s"
echo "redis used_memory: $(redis-cli -p "$redis_port" INFO memory | grep '^used_memory_human' | cut -d: -f2 | tr -d '\r')"
time_recompute() {  # extra args; prints seconds
  local start end
  start=$(date +%s.%N)
  "$binary" recompute --config "$work/config.json" --contest bench --redis "redis://127.0.0.1:$redis_port/0" "$@" > "$work/out" 2> "$work/phases"
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}
for mode in "--dry-run" ""; do
  times=()
  for _ in $(seq "$runs"); do times+=("$(time_recompute $mode)"); done
  python3 - "${mode:-real}" "$awards" "${times[@]}" <<'PY'
import statistics, sys
mode, awards, times = sys.argv[1], int(sys.argv[2]), sorted(float(t) for t in sys.argv[3:])
median = statistics.median(times)
print(f"recompute {mode}: median {median:.2f} s ({awards / median:,.0f} awards/s), runs {', '.join(f'{t:.2f}' for t in times)}")
PY
  tail -1 "$work/out"
  cat "$work/phases"  # the last run's phases (and, for a real run, how long awards were held)
done
echo "boards: participants $(redis-cli -p "$redis_port" ZCARD 'lb:{bench}:board:participants'), teams $(redis-cli -p "$redis_port" ZCARD 'lb:{bench}:board:teams')"
