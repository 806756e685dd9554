#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang 14, ASan + UBSan), writes their seed
# corpora from the tests' payloads, and runs each target for SECONDS (default 300).
# usage: bash bench/fuzz.sh [SECONDS] [TARGET...]
# Prints one line per target: executions per second, coverage, corpus size, crashes.
# Inputs the fuzzer finds stay in build/fuzz/corpus/<target>; a crashing input is
# written to build/fuzz/artifacts/ and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
shift || true
if [ "${LB_FUZZ_BUILT:-}" != 1 ]; then  # LB_FUZZ_BUILT=1: the caller built them (scripts/test.sh runs two of these at once)
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$(nproc)" >/dev/null
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then  # every target tests/fuzz/CMakeLists.txt builds, in its order
  read -r -a targets <<<"$(sed -n '/^set(LB_FUZZ_TARGETS/,/)/p' tests/fuzz/CMakeLists.txt | sed 's/set(LB_FUZZ_TARGETS//; s/)//' | tr '\n' ' ')"
fi
dir=build/fuzz
python3 tests/fuzz/make_corpus.py "$dir/seeds" >/dev/null
mkdir -p "$dir/artifacts" "$dir/logs"
failed=0
printf '%-18s %10s %8s %8s %8s %s\n' target exec/s cov ft corpus result
for target in "${targets[@]}"; do
  mkdir -p "$dir/corpus/$target"
  log="$dir/logs/$target.log"
  status=0
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
    "$dir/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/$target-" "$dir/corpus/$target" "$dir/seeds/$target" >"$log" 2>&1 || status=$?
  # The last status line ("#N REDUCE cov: C ft: F corp: K/...") and the final stats.
  last=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -1 || true)
  field() { awk -v key="$1" '{for (i = 1; i < NF; i++) if ($i == key) {sub(/\/.*/, "", $(i + 1)); print $(i + 1); exit}}' <<<"$last"; }
  execs=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")
  cov=$(field cov:)
  ft=$(field ft:)
  corpus=$(field corp:)
  result=ok
  if [ $status -ne 0 ] || ! grep -q '^Done [0-9]* runs' "$log"; then
    result="CRASH (see $log)"
    failed=1
  fi
  printf '%-18s %10s %8s %8s %8s %s\n' "$target" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corpus:-?}" "$result"
done
exit $failed
