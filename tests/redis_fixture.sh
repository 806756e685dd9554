#!/usr/bin/env bash
# Starts or stops the throw-away redis-server the tests share.
# usage: redis_fixture.sh start|stop DIR   (DIR/port holds the port)
set -euo pipefail
action=$1 dir=$2
case "$action" in
start)
  rm -rf "$dir" && mkdir -p "$dir"
  for attempt in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    if redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --databases 128 \
         --daemonize yes --pidfile "$dir/redis.pid" --dir "$dir" --logfile "$dir/redis.log"; then
      for _ in $(seq 50); do
        if redis-cli -p "$port" ping >/dev/null 2>&1; then echo "$port" > "$dir/port"; echo "redis on $port"; exit 0; fi
        sleep 0.1
      done
    fi
  done
  echo "could not start redis-server" >&2; exit 1 ;;
stop)
  if [ -f "$dir/redis.pid" ]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
  echo "redis stopped" ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 64 ;;
esac
