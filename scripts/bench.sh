#!/usr/bin/env bash
# Benchmarks users-api with wrk on this machine (wrk shares its cores with the service) and writes a
# markdown table to service/target/bench/results.md, raw wrk output beside it.
#
# Usage: scripts/bench.sh [--duration SECONDS] [--connections N]
#   Measures: start to first 200 on /health/ready; RSS idle and under load; for GET /health/ready
#   (admin), GET /api/users with 100 users stored, and POST /api/users (each followed by a DELETE so the
#   store keeps its size): the most req/s served (saturated), and p50/p99 at a steady paced load.
#   The JVM runs with the image's JAVA_TOOL_OPTIONS (from service/Dockerfile) and -XX:MaxRAM=256m so
#   its heap sizing matches a pod with a 256Mi memory limit. The JSON access log stays on.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/java.sh
. scripts/lib/build.sh

usage() { sed -n 's/^# \{0,1\}//; 2,10p' "$0"; }
duration=15
connections=32
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=${2:?--duration needs a number}; shift 2 ;;
    --connections) connections=${2:?--connections needs a number}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $duration =~ ^[0-9]+$ && $connections =~ ^[0-9]+$ ]] || { usage >&2; exit 2; }

command -v wrk >/dev/null || { echo "error: wrk not found: apt-get install wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "error: curl not found: apt-get install curl" >&2; exit 1; }
require_jdk
ensure_service_jar

out=service/target/bench
mkdir -p "$out"
image_opts=$(image_env JAVA_TOOL_OPTIONS)
arena_max=$(image_env MALLOC_ARENA_MAX)
[ -n "$image_opts" ] || { echo "error: no JAVA_TOOL_OPTIONS in service/Dockerfile" >&2; exit 1; }
jvm_opts="$image_opts -XX:MaxRAM=256m"

http_port=$(free_port 18080)
admin_port=$(free_port $((http_port + 1)))
work=$(mktemp -d)
token=$(new_token)
echo "admin $(sha256_hex "$token")" >"$work/tokens"

start_ns=$(date +%s%N)
MALLOC_ARENA_MAX=${arena_max:-} JAVA_TOOL_OPTIONS="$jvm_opts" HTTP_PORT=$http_port ADMIN_PORT=$admin_port USERS_API_TOKENS_FILE="$work/tokens" \
  USERS_API_DRAIN_SECONDS=0 USERS_API_MAX_USERS=2000000 \
  "$JAVA_HOME/bin/java" -jar "$users_api_jar" >"$out/service.log" 2>&1 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 1 1000); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin_port/health/ready")" = 200 ]; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "error: the service exited; see $out/service.log" >&2; exit 1; }
  sleep 0.01
done
start_ms=$((($(date +%s%N) - start_ns) / 1000000))

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
for i in $(seq 1 100); do
  curl -sf -o /dev/null -X POST "http://127.0.0.1:$http_port/api/users" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"name\":\"Seed $i\",\"email\":\"seed$i@example.org\"}"
done
sleep 1
rss_idle=$(rss_kib)

peak_file="$work/peak"
echo 0 >"$peak_file"
sample_rss() { # while wrk runs: keep the highest RSS seen
  while kill -0 "$1" 2>/dev/null; do
    local now; now=$(rss_kib)
    [ "$now" -gt "$(cat "$peak_file")" ] && echo "$now" >"$peak_file"
    sleep 0.2
  done
}

# wrk_stats FILE: "req/s p50 p99 non-2xx" from wrk's --latency output
wrk_stats() {
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx or 3xx/ {bad+=$5}
       END {printf "%s %s %s %d\n", rps, p50, p99, bad}' "$1"
}

# run NAME URL [wrk args...]: warm up; then saturate (the most it serves) and pace (latency at a steady
# load of about 1 request per connection-millisecond, near the 25k req/s target). Prints one result line.
run() {
  local name=$1 url=$2; shift 2
  local script=(-s service/bench/paced.lua)
  [ $# -gt 0 ] && script=("$@")
  BENCH_PACE_MS=0 wrk -t2 -c"$connections" -d5s "${script[@]}" "$url" >/dev/null
  BENCH_PACE_MS=0 wrk -t2 -c"$connections" -d"${duration}s" --latency "${script[@]}" "$url" \
    >"$out/wrk-$name-saturated.txt" &
  local wrk_pid=$!
  sample_rss "$wrk_pid"
  wait "$wrk_pid"
  BENCH_PACE_MS=1 wrk -t2 -c"$connections" -d"${duration}s" --latency "${script[@]}" "$url" \
    >"$out/wrk-$name-paced.txt"
  echo "$name $(wrk_stats "$out/wrk-$name-saturated.txt") $(wrk_stats "$out/wrk-$name-paced.txt")"
}

results=()
results+=("$(run health-ready "http://127.0.0.1:$admin_port/health/ready")")
results+=("$(run list-users "http://127.0.0.1:$http_port/api/users")")
results+=("$(BENCH_TOKEN=$token run write-cycle "http://127.0.0.1:$http_port/api/users" -s service/bench/write-cycle.lua)")
rss_peak=$(cat "$peak_file")

{
  echo "# users-api benchmark"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores ($(uname -m)), $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)."
  echo "wrk -t2 -c$connections -d${duration}s after a 5 s warm-up per endpoint; wrk and the service share the cores."
  echo "JVM options: \`$jvm_opts\` (the image's JAVA_TOOL_OPTIONS; MaxRAM stands for a 256 MiB pod limit),"
  echo "MALLOC_ARENA_MAX=${arena_max:-unset}; JSON access log on (to a file)."
  echo
  echo "Saturated: as fast as wrk can send (the most the service serves next to wrk on these cores)."
  echo "Paced: each connection waits 1 ms between requests, a steady load near the 25k req/s target."
  echo
  echo "| endpoint | saturated req/s | p50 | p99 | paced req/s | p50 | p99 | non-2xx |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for r in "${results[@]}"; do
    read -r name rps p50 p99 bad prps pp50 pp99 pbad <<<"$r"
    case $name in
      health-ready) label="GET /health/ready (admin)" ;;
      list-users) label="GET /api/users (100 users stored)" ;;
      write-cycle) label="POST /api/users, then DELETE it (writes, as admin)" ;;
    esac
    echo "| $label | $rps | $p50 | $p99 | $prps | $pp50 | $pp99 | $((bad + pbad)) |"
  done
  echo
  echo "| measure | value |"
  echo "|---|---:|"
  echo "| start to first 200 on /health/ready | $start_ms ms |"
  echo "| RSS idle (100 users) | $((rss_idle / 1024)) MiB |"
  echo "| RSS peak under load | $((rss_peak / 1024)) MiB |"
} >"$out/results.md"
cat "$out/results.md"
