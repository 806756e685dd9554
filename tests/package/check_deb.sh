#!/usr/bin/env bash
# Builds the Debian package from a build folder, unpacks it into an empty root (no chroot, no
# install) and checks what it holds: the binary runs, the page and the units are in place, and
# its dependencies are declared.
set -euo pipefail
build=$1
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/package/leaderboard_*_amd64.deb)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
fail() { echo "package check: $*" >&2; exit 1; }
version=$("$root/usr/bin/leaderboard" --version) || fail "the packaged binary does not run"
[[ $version =~ ^leaderboard\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "unexpected --version: $version"
for file in usr/share/leaderboard/static/index.html usr/share/leaderboard/static/admin.html \
            usr/lib/systemd/system/leaderboard-gateway@.service usr/lib/systemd/system/leaderboard-webhooks.service \
            usr/share/leaderboard/nginx/leaderboard.conf usr/share/doc/leaderboard/examples/geekweek.json; do
  [ -s "$root/$file" ] || fail "missing $file"
done
depends=$(dpkg-deb -f "$deb" Depends)
for library in libhiredis libssl libqrencode; do
  [[ $depends == *$library* ]] || fail "Depends lacks $library: $depends"
done
"$root/usr/bin/leaderboard" check-config "$root/usr/share/doc/leaderboard/examples/geekweek.json" >/dev/null ||
  fail "the packaged example config does not check"
echo "$(basename "$deb"): $version; Depends: $depends"
