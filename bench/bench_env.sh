# Shared by the bench scripts: a private redis-server and a leaderboard server
# with a generated contest, on free loopback ports, torn down on exit.
# Needs: $root (repository root). Sets: $work, $redis_port, $port, $binary.
set -euo pipefail
binary=${LB_BENCH_BINARY:-$root/build/release/gateway/leaderboard}  # LB_BENCH_BINARY: compare two builds
work=$(mktemp -d /tmp/lb-bench-XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port)
port=$(free_port)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

build_release() {
  bash "$root/scripts/install-deps.sh" --tests >/dev/null
  npm ci --prefix "$root/tests/node" --no-audit --no-fund --loglevel=error >/dev/null
  cmake --preset release -S "$root" >/dev/null
  cmake --build "$root/build/release" -j "$(nproc)" >/dev/null
}

# A contest with N participants spread over 10 cities and 10 schools.
write_config() {
  local participants=$1
  python3 - "$participants" > "$work/config.json" <<'PY'
import json, sys
n = int(sys.argv[1])
teams = [{"id": f"city{i}", "name": f"City {i}", "kind": "city"} for i in range(10)]
teams += [{"id": f"school{i}", "name": f"School {i}", "kind": "school"} for i in range(10)]
import os
# LB_BENCH_GITCODE=1: GitCode too (a config a build from before the host table would refuse).
gitcode = os.environ.get("LB_BENCH_GITCODE") == "1"
people = [{"id": f"user{i}", "name": f"User {i}", "github": f"user{i}", "gitee": f"user{i}",
           **({"logins": {"gitcode": f"user{i}"}} if gitcode else {}), "teams": [f"city{i % 10}", f"school{i % 10}"]}
          for i in range(n)]
hooks = {"github": {"secret_env": "LB_GITHUB_SECRET"},
         "gitee": {"secret_env": "LB_GITEE_SECRET", "mode": "signature", "timestamp_window_seconds": 3600}}
repos = ["github:example-org/framework", "gitee:example-org/framework"]
if gitcode:
    hooks["gitcode"] = {"secret_env": "LB_GITCODE_SECRET", "mode": "password"}
    repos.append("gitcode:example-org/framework")
# LB_BENCH_COMMUNITY=1: with a community block, so every merged delivery is also recorded as activity.
import os
community = {"community": {"id_prefix": "B-"}} if os.environ.get("LB_BENCH_COMMUNITY") == "1" else {}
print(json.dumps({"admin_token_env": "LB_ADMIN_TOKEN", **community,
                  "webhooks": hooks,
                  "live": {"queue_bytes": 262144},
                  "contests": [{"id": "bench", "title": "Bench", "starts_at": "2026-12-01T00:00:00Z",
                                "ends_at": "2026-12-31T00:00:00Z",
                                "repos": repos,
                                "teams": teams, "participants": people,
                                "rules": {"pull_requests": {"base_points": 1,
                                          "label_points": {"bug": 10, "documentation": 2}}}}]}))
PY
}

# name, path: the median and p90 of $repeats timed GETs of the server, and the body size;
# curl_args may add options (a token).
curl_args=()
measure() {
  local times=() size
  for _ in $(seq "$repeats"); do
    times+=("$(curl -s "${curl_args[@]}" -o "$work/body" -w '%{time_total}' "http://127.0.0.1:$port$2")")
  done
  size=$(stat -c %s "$work/body")
  python3 - "$1" "$size" "${times[@]}" <<'PY'
import statistics, sys
name, size, times = sys.argv[1], int(sys.argv[2]), sorted(float(t) * 1000 for t in sys.argv[3:])
print(f"{name}: median {statistics.median(times):.1f} ms, p90 {times[int(0.9 * (len(times) - 1))]:.1f} ms, {size:,} bytes")
PY
}

# User and system CPU of a process so far, in clock ticks (fields 14 and 15 of /proc/PID/stat).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Microseconds of CPU per delivery between two cpu_ticks readings.
per_delivery() { python3 -c "import os,sys; t=os.sysconf('SC_CLK_TCK'); print(round((int(sys.argv[2]) - int(sys.argv[1])) / t * 1e6 / max(1, int(sys.argv[3])), 1))" "$1" "$2" "$3"; }

# LB_BENCH_REDIS=cluster: the same Redis as a one-node Redis Cluster holding every slot, and the
# server through its cluster client (what routing costs, without a second machine's network).
redis_url="redis://127.0.0.1:$redis_port/0"
[[ ${LB_BENCH_REDIS:-single} == cluster ]] && redis_url="redis-cluster://127.0.0.1:$redis_port/"

start_redis() {
  # Redis as the run command starts it (deploy/redis/persistence.conf: appendfsync always);
  # LB_BENCH_APPENDFSYNC=everysec measures what fsync before every answer costs.
  local cluster=()
  [[ ${LB_BENCH_REDIS:-single} == cluster ]] && cluster=(--cluster-enabled yes --cluster-config-file "$work/nodes.conf" --cluster-port "$(free_port)")
  rm -f "$work/nodes.conf"
  redis-server "$root/deploy/redis/persistence.conf" --port "$redis_port" --bind 127.0.0.1 --dir "$work" \
    --appendfsync "${LB_BENCH_APPENDFSYNC:-always}" \
    --save '' --daemonize yes --logfile "$work/redis.log" "${cluster[@]}"
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  [[ ${#cluster[@]} -gt 0 ]] || return 0
  redis-cli -p "$redis_port" CLUSTER ADDSLOTSRANGE 0 16383 >/dev/null
  for _ in $(seq 100); do redis-cli -p "$redis_port" CLUSTER INFO | grep -q cluster_state:ok && return; sleep 0.1; done
  echo "the one-node cluster did not come up" >&2; exit 1
}

start_server() {
  local listen=${listen_port:-$port}
  LB_GITHUB_SECRET=bench-secret LB_GITEE_SECRET=bench-secret LB_GITCODE_SECRET=bench-secret LB_ADMIN_TOKEN=bench-admin "$binary" serve --config "$work/config.json" \
    --redis "$redis_url" --listen "127.0.0.1:$listen" --spool "$work/spool-$listen" "$@" \
    > "$work/server-$listen.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$listen/readyz" >/dev/null && return; sleep 0.1; done
  echo "server did not become ready" >&2; cat "$work/server-$listen.log" >&2; exit 1
}

# nginx on $1 in front of the gateways on ports $2.. and the receiver on $hooks_port, with the
# shipped site config (deploy/nginx/leaderboard.conf) and only its addresses changed.
start_nginx() {
  local front=$1
  shift
  mkdir -p "$work/nginx"
  python3 - "$root/deploy/nginx/leaderboard.conf" "$front" "$hooks_port" "$@" > "$work/nginx/site.conf" <<'PY'
import re, sys
site, front, hooks, gateways = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3], sys.argv[4:]
def upstream(text, name, servers):
    return re.sub(r"(upstream %s \{[\s\S]*?)((?:\s*server [^;]+;)+)" % name,
                  lambda m: m.group(1) + "".join("\n    server 127.0.0.1:%s;" % s for s in servers), text)
site = upstream(upstream(site, "leaderboard_gateways", gateways), "leaderboard_webhooks", [hooks])
print(site.replace("    listen 80;\n    listen [::]:80;", "    listen 127.0.0.1:%s backlog=8192;" % front))
PY
  cat > "$work/nginx/nginx.conf" <<CONF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1;
worker_rlimit_nofile 65536;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 32768; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  include $work/nginx/site.conf;
}
CONF
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2> "$work/nginx/stderr" &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$front/readyz" >/dev/null && return; sleep 0.1; done
  echo "nginx did not come up" >&2; cat "$work/nginx/stderr" "$work/nginx/error.log" >&2; exit 1
}
