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
ctest --preset asan || status=$?
# Should ctest be interrupted, the fixture's cleanup may not have run.
bash tests/redis_fixture.sh stop build/asan/test-redis >/dev/null 2>&1 || true
# Every parser of outside bytes under libFuzzer for a few seconds (docs/benchmarks.md has the long runs).
echo "fuzz smoke (2 s per target):"
bash bench/fuzz.sh 2 || status=$?
exit $status
