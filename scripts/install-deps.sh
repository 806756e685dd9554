#!/usr/bin/env bash
# Installs the Debian packages the build and the engine need (python3 seeds the
# demo contests; with --tests, also what the tests need), only those missing:
# apt-get update runs only when something must be installed.
set -euo pipefail
packages=(g++ cmake ninja-build pkg-config libboost-dev libhiredis-dev nlohmann-json3-dev doctest-dev
          libssl-dev libsimdjson-dev libqrencode-dev redis-server redis-tools python3)
if [ "${1:-}" = --tests ]; then
  # chromium runs the page's browser test; fonts-noto-cjk draws the Chinese names in its screenshots.
  packages+=(curl chromium fonts-noto-cjk)
  # nginx runs in front of two gateways in the deployment test (its own config, loopback ports).
  packages+=(nginx-light)
  # A primary, a replica and three sentinels run in the failover test.
  packages+=(redis-sentinel)
  # The Debian package check: cpack's dependency scan needs dpkg-shlibdeps and file.
  packages+=(dpkg-dev file)
  # The parsers' fuzz targets: libFuzzer with clang 14's sanitizers.
  packages+=(clang-14 libfuzzer-14-dev libclang-rt-14-dev)
  # The tests' npm packages need Node.js with npm; any will do, Debian's if none is there.
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
