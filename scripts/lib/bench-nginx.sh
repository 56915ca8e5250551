# shellcheck shell=bash
# Sourced by scripts/bench.sh: nginx answering one fixed JSON body, the reference for a loopback HTTP server
# on this machine. It runs in the foreground of a background job (daemon off) as the current user, with its
# configuration, pid file, temp folders and logs in a folder of its own, listening on 127.0.0.1 only. Like
# the service it writes a JSON access log line per request to a file (unbuffered), so both pay for a log.

# nginx_start DIR PORT BODY_FILE: starts nginx and waits for its first 200; sets nginx_pid and nginx_start_ms.
# shellcheck disable=SC2034 # nginx_start_ms is read by scripts/bench.sh
nginx_start() {
  local dir=$1 port=$2 body
  body=$(cat "$3")
  # The body goes into a single-quoted nginx string: it must not close it, escape in it or name a variable.
  case $body in *[\'\\\$]*) echo "error: the reference body has ' \\ or \$ in it" >&2; return 1 ;; esac
  mkdir -p "$dir/temp"
  cat >"$dir/nginx.conf" <<EOF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  log_format json escape=json '{"time":"\$time_iso8601","method":"\$request_method","path":"\$uri",'
                              '"status":\$status,"bytes":\$body_bytes_sent,"duration_s":\$request_time}';
  access_log $dir/access.log json;
  client_body_temp_path $dir/temp/body;
  proxy_temp_path $dir/temp/proxy;
  fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi;
  scgi_temp_path $dir/temp/scgi;
  server {
    listen 127.0.0.1:$port;
    server_tokens off;
    location / {
      default_type application/json;
      return 200 '$body';
    }
  }
}
EOF
  local started_ns
  started_ns=$(date +%s%N)
  nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' >"$dir/stdout.log" 2>&1 &
  nginx_pid=$!
  local _
  for _ in $(seq 1 500); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")" = 200 ]; then
      nginx_start_ms=$((($(date +%s%N) - started_ns) / 1000000))
      return 0
    fi
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.01
  done
  echo "error: nginx did not answer on 127.0.0.1:$port; see $dir/error.log" >&2
  return 1
}

# RSS in KiB of nginx's master and its workers.
nginx_rss_kib() {
  local total=0 p rss
  for p in "$nginx_pid" $(ps -o pid= --ppid "$nginx_pid" 2>/dev/null); do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null) || continue
    total=$((total + ${rss:-0}))
  done
  echo "$total"
}

# Fast shutdown (TERM), bounded: after 5 s the master is killed.
nginx_stop() {
  [ -n "${nginx_pid:-}" ] || return 0
  kill -TERM "$nginx_pid" 2>/dev/null || true
  local _
  for _ in $(seq 1 50); do
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$nginx_pid" 2>/dev/null; then
    # shellcheck disable=SC2046 # the workers' pids, one word each
    kill -KILL $(ps -o pid= --ppid "$nginx_pid" 2>/dev/null) "$nginx_pid" 2>/dev/null || true
  fi
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=
}
