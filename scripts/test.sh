#!/usr/bin/env bash
# Installs what is missing, builds with AddressSanitizer and UBSan, and runs
# every test tier, then each fuzz target briefly. The tests start (and stop)
# their own redis-server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --tests
# Real webhook payload shapes, the WebSocket client and the browser driver (pinned by package-lock.json).
npm ci --prefix tests/node --no-audit --no-fund --loglevel=error
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$(nproc)"
status=0
# The fuzz targets build, then run for 2 s each, at the lowest priority while the tests run: the
# tests wait on sockets, Redis and the browser most of the time and leave about a core idle.
mkdir -p build
# The targets run in two lanes, one per core, once the tests are done with them.
read -r -a targets <<<"$(sed -n '/^set(LB_FUZZ_TARGETS/,/)/p' tests/fuzz/CMakeLists.txt | sed 's/set(LB_FUZZ_TARGETS//; s/)//' | tr '\n' ' ')"
half=$(( (${#targets[@]} + 1) / 2 ))
(nice -n 19 cmake --preset fuzz >/dev/null && nice -n 19 cmake --build --preset fuzz -j "$(nproc)" >/dev/null) > build/fuzz-build.log 2>&1 &&
  { LB_FUZZ_BUILT=1 nice -n 19 bash bench/fuzz.sh 2 "${targets[@]:0:$half}" > build/fuzz-smoke.log 2>&1 & first=$!
    LB_FUZZ_BUILT=1 nice -n 19 bash bench/fuzz.sh 2 "${targets[@]:$half}" > build/fuzz-smoke-2.log 2>&1; second=$?
    wait "$first" && [ "$second" -eq 0 ]; } &
fuzz=$!
ctest --preset asan || status=$?
# Should ctest be interrupted, the fixture's cleanup may not have run.
bash tests/redis_fixture.sh stop build/asan/test-redis >/dev/null 2>&1 || true
# Every parser of outside bytes under libFuzzer for a few seconds (docs/benchmarks.md has the long runs).
echo "fuzz smoke (2 s per target):"
if wait "$fuzz"; then
  cat build/fuzz-smoke.log
  tail -n +2 build/fuzz-smoke-2.log
else
  echo "the fuzz build or a fuzz target failed:"
  cat build/fuzz-build.log build/fuzz-smoke.log build/fuzz-smoke-2.log 2>/dev/null || true
  status=1
fi
exit $status
