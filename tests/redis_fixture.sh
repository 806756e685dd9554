#!/usr/bin/env bash
# Starts or stops the throw-away redis-server the tests share.
# usage: redis_fixture.sh start|stop DIR   (DIR/port holds the port)
set -euo pipefail
action=$1 dir=$2
case "$action" in
start)
  rm -rf "$dir" && mkdir -p "$dir"
  # Redis as the run command starts it (AOF fsync'ed before each answer, so the engine acknowledges
  # deliveries as applied), its data in memory (/dev/shm) where an fsync costs nothing.
  data=$(mktemp -d /dev/shm/lb-test-redis.XXXXXX 2>/dev/null || mktemp -d)
  echo "$data" > "$dir/data"
  here=$(cd "$(dirname "$0")" && pwd)
  for attempt in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    if redis-server "$here/../deploy/redis/persistence.conf" --port "$port" --bind 127.0.0.1 --save '' --databases 128 \
         --daemonize yes --pidfile "$dir/redis.pid" --dir "$data" --logfile "$dir/redis.log"; then
      for _ in $(seq 50); do
        if redis-cli -p "$port" ping >/dev/null 2>&1; then echo "$port" > "$dir/port"; echo "redis on $port"; exit 0; fi
        sleep 0.1
      done
    fi
  done
  echo "could not start redis-server" >&2; exit 1 ;;
stop)
  if [ -f "$dir/redis.pid" ]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
  if [ -f "$dir/data" ]; then
    for _ in $(seq 50); do [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null && sleep 0.1 || break; done
    rm -rf "$(cat "$dir/data")" "$dir/data"
  fi
  echo "redis stopped" ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 64 ;;
esac
