#!/usr/bin/env bash
# Installs what is missing, builds an optimized engine, starts a private
# redis-server (data in var/redis, AOF fsync'ed before each answer) and serves the bundled example.
# Ctrl-C stops both. Settings: LB_PORT (8080), LB_REDIS_PORT (6391), LB_CONFIG.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
port=${LB_PORT:-8080}
redis_port=${LB_REDIS_PORT:-6391}
config=${LB_CONFIG:-examples/geekweek.json}
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
binary=build/release/gateway/leaderboard
"$binary" check-config "$config"

mkdir -p var/redis
if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
  # AOF on, fsync'ed before each answer (deploy/redis/persistence.conf): an acknowledged delivery survives a Redis crash.
  redis-server "$root/deploy/redis/persistence.conf" --port "$redis_port" --bind 127.0.0.1 --dir "$root/var/redis" \
    --daemonize yes --pidfile "$root/var/redis/redis.pid" --logfile "$root/var/redis/redis.log"
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
trap 'redis-cli -p "$redis_port" shutdown >/dev/null 2>&1 || true' EXIT

# Local secrets (admin and judge tokens, webhook secrets), each in a file only you can read; never printed.
# Variables already set in the environment win.
for name in LB_ADMIN_TOKEN LB_JUDGE_TOKEN LB_GITHUB_SECRET LB_GITEE_SECRET LB_GITCODE_SECRET LB_ATOMGIT_SECRET LB_GITLAB_SECRET; do
  file=var/$(echo "$name" | tr 'A-Z_' 'a-z-')
  if [ -z "${!name:-}" ]; then
    [ -s "$file" ] || (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$file")
    export "$name=$(cat "$file")"
  fi
done
echo "tokens and webhook secrets: in var/ (lb-admin-token, lb-judge-token, lb-<host>-secret for github, gitee, gitcode, atomgit, gitlab)"
redis_url="redis://127.0.0.1:$redis_port/0"
if [ "$config" = examples/geekweek.json ]; then
  "$binary" import-prs --config "$config" --contest winter-bugbash --file examples/geekweek-prs.ndjson --redis "$redis_url"
  # Merge requests from GitCode, AtomGit and GitLab, on the same boards.
  "$binary" import-prs --config "$config" --contest winter-bugbash --file examples/geekweek-hosts-prs.ndjson --redis "$redis_url"
fi
"$binary" serve --config "$config" --redis "$redis_url" --listen "127.0.0.1:$port" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; redis-cli -p "$redis_port" shutdown >/dev/null 2>&1 || true' EXIT INT TERM
for _ in $(seq 100); do curl_ok=$(python3 -c "import urllib.request,sys
try: urllib.request.urlopen('http://127.0.0.1:$port/readyz', timeout=1); print(1)
except Exception: print(0)"); [ "$curl_ok" = 1 ] && break; sleep 0.1; done
replay=
if [ "$config" = examples/geekweek.json ]; then
  python3 examples/seed_demo.py "http://127.0.0.1:$port"
  # A recorded geek week (322 merges over seven days) played at 2400x: the board moves for about
  # four minutes, then stays live for real webhooks. Stopped with the engine; the next run resumes it.
  echo "replaying a recorded geek week into winter-bugbash (about 4 minutes; watch the board move)"
  "$binary" replay --config "$config" --contest winter-bugbash --file examples/geekweek-rehearsal.ndjson \
    --speed 2400 --redis "$redis_url" > var/replay.log 2>&1 &
  replay=$!
  trap 'kill "$replay" 2>/dev/null; kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; redis-cli -p "$redis_port" shutdown >/dev/null 2>&1 || true' EXIT INT TERM
fi
echo "open http://127.0.0.1:$port/ (Ctrl-C stops the engine and its Redis)"
echo "contests: /?contest=winter-bugbash  /?contest=model-repro  /?contest=spring-camp"
echo "big screen: add &screen=1 (a presenter presses P to run the stage reveal); phones: the QR code on it, or ?view=phone"
[ -n "$replay" ] && echo "replay progress: var/replay.log (leaderboard record / replay / reset rehearse any contest: see docs/cli.md)"
echo "organizer console: http://127.0.0.1:$port/admin (sign in with the admin or judge token from var/)"
echo "community: /join.html (sign-ups, approved in the console), /seasons/2026 (the season's boards), /ops (operations figures)"
wait "$server"
