#!/usr/bin/env bash
# Runs test tiers with the test clock a year ahead, to find what a fixed date in a test, an
# example or a default would break once that date has passed: the engine
# (engine/store/clock.cpp), the black-box harness (tests/blackbox/harness.py: now(), iso()), the
# Node tests and their pages (tests/node/lib.mjs: testNow(), isoIn(), Chromium's Date) all read
# LB_TEST_CLOCK_OFFSET_SECONDS; Redis keeps the real clock, as a Redis would.
# (libfaketime was tried first: it hangs redis-cli at start and, shifting the monotonic clock,
# the engine's timed condition waits.)
# usage: bash tests/year_ahead.sh [ctest arguments, e.g. -L blackbox]
set -euo pipefail
cd "$(dirname "$0")/.."
echo "the test clock a year ahead of today ($(date -u +%F))"
LB_TEST_CLOCK_OFFSET_SECONDS=$((365 * 86400)) ctest --preset asan "$@"
