#!/usr/bin/env bash
# Benchmarks users-api with wrk on this machine beside references measured in the same run, and writes a
# markdown report to service/target/bench/results.md, raw wrk and pgbench output beside it.
#
# Usage: scripts/bench.sh [--store memory|postgres] [--duration SECONDS] [--connections N]
#        scripts/bench.sh --url URL [--duration SECONDS] [--rate REQ_PER_S] [--max-rate REQ_PER_S]
#                         [--connections N] [--writes --token-file FILE]
#   --store memory (default): start to first 200 on /health/ready; RSS idle and under load; GET /health/ready
#     (admin), GET /api/users with 100 users stored and POST /api/users each followed by its DELETE: the most
#     req/s served (saturated) with p50/p99, then p50/p99 paced at half that rate (the rate achieved beside it).
#   --store postgres: the service on a throwaway PostgreSQL (scripts/lib/postgres.sh, kept in
#     service/target/bench/postgres and stopped afterwards unless it was running): list, get, create and
#     delete saturated, each beside pgbench running the service's own statement (service/bench/pgbench/)
#     with as many clients as wrk has connections; the service's throughput as a ratio to pgbench's.
#   Both: nginx answering a fixed copy of the service's first page, with the same wrk settings right before
#   and after the service; every service figure is also a ratio to it.
#   --duration (15) is per measured run, after a 5 s warm-up; --connections (32) is wrk's and pgbench's.
#   The JVM runs with the image's JAVA_TOOL_OPTIONS (service/Dockerfile) and -XX:MaxRAM=256m, as in a pod with
#   a 256Mi memory limit, from an AOT cache written first by the image's training run (service/aot/TrainingRun.java;
#   needs JDK 25); the JSON access log stays on. Needs wrk, curl and nginx; with postgres also pgbench
#   and psql (Debian: wrk curl nginx postgresql postgresql-contrib).
#   --url URL: a deployed environment through its public entry (e.g. https://users.example.com), no JVM and no
#     nginx here (so no × nginx ratios): GET URL/api/users, then GET URL/api/users/{id} of the ids a first list
#     returned, each for half of --duration (30), paced at --rate (20) req/s in total on --connections (4);
#     no warm-up, no saturated run. A --rate above --max-rate (50) is refused: raise the cap explicitly.
#     --writes adds POST /api/users, each followed by its DELETE (a third of --duration each), with the bearer
#     token (admin role) read from --token-file, never from the command line; users it creates are deleted
#     again, and it fails naming any it could not delete. wrk does not verify TLS certificates: curl checks
#     the entry's first and does the clean-up. Writes to http:// on a host other than loopback are refused.
#     Report: service/target/bench/url-results.md. Needs wrk and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/java.sh
. scripts/lib/build.sh
. scripts/lib/ports.sh
. scripts/lib/token.sh
. scripts/lib/usage.sh
. scripts/lib/bench-wrk.sh
. scripts/lib/bench-nginx.sh
. scripts/lib/bench-postgres.sh
. scripts/lib/bench-url.sh

usage() { usage_from_header; }
bad_usage() { echo "error: $*" >&2; usage >&2; exit 2; }
need() { command -v "$1" >/dev/null || { echo "error: $1 not found: apt-get install $2" >&2; exit 1; }; }
store=
duration=
connections=
threads=2
url=
rate=
max_rate=
writes=0
token_file=
while [ $# -gt 0 ]; do
  case $1 in
    --store | --duration | --connections | --url | --rate | --max-rate | --token-file)
      if [ $# -lt 2 ] || [ -z "$2" ]; then bad_usage "$1 needs a value"; fi
      case $1 in
        --store) store=$2 ;;
        --duration) duration=$2 ;;
        --connections) connections=$2 ;;
        --url) url=$2 ;;
        --rate) rate=$2 ;;
        --max-rate) max_rate=$2 ;;
        --token-file) token_file=$2 ;;
      esac
      shift 2 ;;
    --writes) writes=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) bad_usage "unknown argument: $1" ;;
  esac
done
if [ -n "$url" ]; then
  url_arguments
  out=service/target/bench
  bench_url
  exit
fi
for flag in "--rate:$rate" "--max-rate:$max_rate" "--token-file:$token_file" "--writes:${writes#0}"; do
  [ -z "${flag#*:}" ] || bad_usage "${flag%%:*} is for --url only"
done
store=${store:-memory} duration=${duration:-15} connections=${connections:-32}
case $store in memory | postgres) ;; *) bad_usage "--store must be memory or postgres, not '$store'" ;; esac
[[ $duration =~ ^[1-9][0-9]*$ ]] || bad_usage "--duration must be a whole number of seconds, not '$duration'"
if ! [[ $connections =~ ^[0-9]+$ ]] || [ "$connections" -lt "$threads" ]; then
  bad_usage "--connections must be a number of at least $threads (wrk's threads), not '$connections'"
fi

need wrk wrk
need curl curl
need nginx nginx
if [ "$store" = postgres ]; then
  need pgbench postgresql-contrib
  need psql postgresql-client
fi
require_jdk
aot_java=25 # the image's JDK: AOTCacheOutput (JEP 514) needs 25 or newer
if [ "$(java_feature_version "$JAVA_HOME/bin/java")" -lt $aot_java ]; then
  echo "error: the bench runs the JVM as the image does, from an AOT cache, which needs JDK $aot_java or newer;" \
    "$JAVA_HOME is $(java_feature_version "$JAVA_HOME/bin/java"): set JAVA_HOME to a JDK $aot_java" >&2
  exit 1
fi
ensure_service_jar

out=service/target/bench
mkdir -p "$out"
rm -f "$out"/wrk-*.txt "$out"/pgbench-*.txt
image_opts=$(image_env JAVA_TOOL_OPTIONS)
arena_max=$(image_env MALLOC_ARENA_MAX)
[ -n "$image_opts" ] || { echo "error: no JAVA_TOOL_OPTIONS in service/Dockerfile" >&2; exit 1; }
jvm_opts="$image_opts -XX:MaxRAM=256m"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
run_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)

http_port=$(free_port_from 18080)
admin_port=$(free_port_from $((http_port + 1)))
nginx_port=$(free_port_from $((admin_port + 1)))
work=$(mktemp -d)
token=$(new_token)
echo "admin $(sha256_hex "$token")" >"$work/tokens"

pid=
pg_dir="$PWD/$out/postgres"
pg_stop_at_end=0
cleanup() {
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  nginx_stop
  if [ $pg_stop_at_end = 1 ]; then scripts/lib/postgres.sh stop "$pg_dir" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db_env=()
if [ "$store" = postgres ]; then
  scripts/lib/postgres.sh status "$pg_dir" 2>/dev/null || pg_stop_at_end=1
  pg_settings=$(scripts/lib/postgres.sh start "$pg_dir")
  pg_client_env
  db_env=(USERS_API_DB_URL="$(pg_setting JDBC_URL)" USERS_API_DB_USER="$(pg_setting DB_USER)"
    USERS_API_DB_PASSWORD_FILE="$(pg_setting DB_PASSWORD_FILE)")
fi

# The image starts the service from its JDK 25 AOT cache (service/Dockerfile); so does the measured JVM, from a
# cache the image's own training run (service/aot/TrainingRun.java) writes here with the same flags, those of the
# Dockerfile's training stage included (such as leaving out the method profiles).
aot_cache=$work/users-api.aot
mapfile -t training_flags < <(image_training_flags)
echo "training the AOT cache (service/aot/TrainingRun.java) ..." >&2
if ! MALLOC_ARENA_MAX="${arena_max:-}" JAVA_TOOL_OPTIONS="$jvm_opts" "$JAVA_HOME/bin/java" service/aot/TrainingRun.java \
  "$aot_cache" "$JAVA_HOME/bin/java" "${training_flags[@]}" \
  -XX:AOTCacheOutput="$aot_cache" -jar "$users_api_jar" >"$out/aot-training.log" 2>&1; then
  echo "error: the AOT cache's training run failed; see $out/aot-training.log" >&2
  exit 1
fi

start_ns=$(date +%s%N)
env "${db_env[@]}" MALLOC_ARENA_MAX="${arena_max:-}" JAVA_TOOL_OPTIONS="$jvm_opts" HTTP_PORT="$http_port" \
  ADMIN_PORT="$admin_port" USERS_API_TOKENS_FILE="$work/tokens" USERS_API_DRAIN_SECONDS=0 USERS_API_MAX_USERS=2000000 \
  "$JAVA_HOME/bin/java" -XX:AOTCache="$aot_cache" -XX:AOTMode=on -jar "$users_api_jar" >"$out/service.log" 2>&1 &
pid=$!
ready=0
for _ in $(seq 1 3000); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$admin_port/health/ready")" = 200 ]; then
    ready=1
    break
  fi
  kill -0 "$pid" 2>/dev/null || { echo "error: the service exited; see $out/service.log" >&2; exit 1; }
  sleep 0.01
done
[ $ready = 1 ] || { echo "error: the service was not ready within 30 s; see $out/service.log" >&2; exit 1; }
start_ms=$((($(date +%s%N) - start_ns) / 1000000))

users=100
if [ "$store" = postgres ]; then
  pg_seed "$users"
else
  for i in $(seq 1 "$users"); do
    curl -sf -o /dev/null -X POST "http://127.0.0.1:$http_port/api/users" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "{\"name\":\"Seed $i\",\"email\":\"seed$i@example.org\"}"
  done
fi
# The reference answers exactly the bytes of the service's first page.
curl -sf "http://127.0.0.1:$http_port/api/users" >"$work/page.json"
page_bytes=$(wc -c <"$work/page.json")
page_limit=$(sed -n 's/.*"limit":\([0-9]*\).*/\1/p' "$work/page.json")
[ -n "$page_limit" ] || { echo "error: no limit in the service's page: $(head -c 200 "$work/page.json")" >&2; exit 1; }
sleep 1
service_rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
rss_idle=$(service_rss)

nginx_start "$work/nginx" "$nginx_port" "$work/page.json"
nginx_rss_idle=$(nginx_rss_kib)
nginx_url="http://127.0.0.1:$nginx_port/api/users"
api="http://127.0.0.1:$http_port/api/users"

nginx_before=$(measure nginx-before "$nginx_url" nginx_rss_kib)
results=()
if [ "$store" = memory ]; then
  results+=("$(measure health-ready "http://127.0.0.1:$admin_port/health/ready" service_rss)")
  results+=("$(measure list-users "$api" service_rss)")
  results+=("$(BENCH_TOKEN=$token measure write-cycle "$api" service_rss -s service/bench/write-cycle.lua)")
else
  pg_warm() { pgbench_run "$out/pgbench-$1-warm-up.txt" 5 "${@:2}" >/dev/null; }
  pg_measure() { echo "$1 $(pgbench_run "$out/pgbench-$1.txt" "$duration" "${@:2}")"; }
  pgb=service/bench/pgbench
  pg_results=()

  results+=("$(BENCH_PACED=0 measure list "$api" service_rss)")
  pg_warm list "$pgb/list.sql" -D limit="$page_limit" -D offset=0
  pg_results+=("$(pg_measure list "$pgb/list.sql" -D limit="$page_limit" -D offset=0)")

  results+=("$(BENCH_PACED=0 BENCH_USERS=$users measure get "$api" service_rss -s service/bench/get.lua)")
  pg_warm get "$pgb/find.sql" -D users="$users"
  pg_results+=("$(pg_measure get "$pgb/find.sql" -D users="$users")")

  results+=("$(BENCH_PACED=0 BENCH_TOKEN=$token measure create "$api" service_rss -s service/bench/create.lua)")
  pg_warm create "$pgb/create.sql" -D n=0 -D run="$(date +%s%N)"
  pg_results+=("$(pg_measure create "$pgb/create.sql" -D n=0 -D run="$(date +%s%N)")")

  # Rows for the deletes, each deleted once: enough for twice the faster create rate, checked afterwards.
  read -r _ svc_create_rps _ <<<"${results[2]}"
  read -r _ pg_create_tps _ <<<"${pg_results[2]}"
  per_second=$(awk -v a="$svc_create_rps" -v b="$pg_create_tps" 'BEGIN {m = a > b ? a : b; printf "%d\n", 2 * m + 1000}')
  svc_warm_base=1000000000 svc_base=2000000000 pg_warm_base=3000000000 pg_base=4000000000
  svc_warm_per=$((5 * per_second / threads + 1)) svc_per=$((duration * per_second / threads + 1))
  pg_warm_per=$((5 * per_second / connections + 1)) pg_per=$((duration * per_second / connections + 1))
  pg_pool "$svc_warm_base" "$threads" "$svc_warm_per"
  pg_pool "$svc_base" "$threads" "$svc_per"
  pg_pool "$pg_warm_base" "$connections" "$pg_warm_per"
  pg_pool "$pg_base" "$connections" "$pg_per"
  BENCH_TOKEN=$token BENCH_ID_BASE=$svc_warm_base wrk -t"$threads" -c"$connections" -d5s \
    -s service/bench/delete.lua "$api" >/dev/null
  results+=("$(BENCH_WARM=0 BENCH_PACED=0 BENCH_TOKEN=$token BENCH_ID_BASE=$svc_base \
    measure delete "$api" service_rss -s service/bench/delete.lua)")
  pg_warm delete "$pgb/delete.sql" -D n=0 -D base="$pg_warm_base"
  pg_results+=("$(pg_measure delete "$pgb/delete.sql" -D n=0 -D base="$pg_base")")
  svc_exhausted=$(pg_pool_exhausted "$svc_base" "$threads" "$svc_per")
  pg_exhausted=$(pg_pool_exhausted "$pg_base" "$connections" "$pg_per")
  pg_version=$(pgbench --version | sed 's/^pgbench (PostgreSQL) //')
  pg_description=$(pg_describe)
fi
nginx_after=$(measure nginx-after "$nginx_url" nginx_rss_kib)
rss_peak=$(cat "$work/peak-service_rss")
nginx_rss_peak=$(cat "$work/peak-nginx_rss_kib")

# The reference: the mean of nginx before and after the service (both are in the report).
read -r _ nb_rps nb_p50 nb_p99 _ _ _ nb_pp50 nb_pp99 _ <<<"$nginx_before"
read -r _ na_rps na_p50 na_p99 _ _ _ na_pp50 na_pp99 _ <<<"$nginx_after"
ref_rps=$(mean "$nb_rps" "$na_rps") ref_p50=$(mean "$nb_p50" "$na_p50") ref_p99=$(mean "$nb_p99" "$na_p99")
ref_pp50=$(mean "$nb_pp50" "$na_pp50") ref_pp99=$(mean "$nb_pp99" "$na_pp99")

# Cells: a figure with its ratio to nginx's; the paced rate achieved with its ratio to the target.
rps_cell() { echo "$(printf '%.0f' "$1") ($(ratio "$1" "$2")×)"; }
paced_cells() { echo "$(printf '%.0f' "$1") | $(printf '%.0f' "$2") ($(ratio "$2" "$1")×)"; }
ms_cell() { echo "$(printf '%.2f' "$1") ms ($(ratio "$1" "$2" 1)×)"; }
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem_mib=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024))

{
  echo "# users-api benchmark: $store store"
  echo
  echo "- Date: $run_date (start of the run)."
  echo "- Machine: $(nproc) cores ($(uname -m), ${cpu_model:-unknown CPU}), $mem_mib MiB memory, Linux $(uname -r);"
  echo "  load average at the start $load_at_start. wrk, nginx$([ "$store" = memory ] && echo " and" || echo ",") the service$([ "$store" = memory ] || echo ", PostgreSQL and pgbench") share these cores."
  echo "- JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1); JVM options \`$jvm_opts\` (the image's"
  echo "  JAVA_TOOL_OPTIONS; MaxRAM stands for a 256 MiB pod limit), MALLOC_ARENA_MAX=${arena_max:-unset}; started"
  echo "  from an AOT cache of the image's training run (service/aot/TrainingRun.java), as the image starts;"
  echo "  the JSON access log on (to a file)."
  echo "- Load: $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2) -t$threads -c$connections -d${duration}s after a 5 s"
  echo "  warm-up; saturated = as fast as wrk sends; paced = right after, at half the saturated rate just measured"
  echo "  (service/bench/pace.lua: each connection waits for its slot on its thread's schedule), with the rate"
  echo "  achieved beside the target: below it, the machine could not keep up."
  echo "- HTTP reference: $(nginx -v 2>&1 | sed 's/^nginx version: //'), worker_processes auto, answering a fixed"
  echo "  copy of the service's first page ($page_bytes bytes, $page_limit users) with a JSON access log line per"
  echo "  request to a file; measured right before and right after the service. Ratios (×) are to the mean of both."
  if [ "$store" = postgres ]; then
    echo "- PostgreSQL $pg_description; on loopback TCP with scram-sha-256 login, data in $out/postgres."
    echo "  The service's pool: USERS_API_DB_POOL_SIZE default (8 connections)."
    echo "- Database reference: pgbench $pg_version -n -M prepared -c$connections -j$threads -T$duration after a 5 s"
    echo "  warm-up, running the service's statements (service/bench/pgbench/), as the service's role over TCP."
  fi
  echo
  echo "| | saturated req/s (× nginx) | p50 | p99 | paced target req/s | achieved req/s (× target) | p50 | p99 | non-2xx |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for n in "$nginx_before" "$nginx_after"; do
    read -r name rps p50 p99 bad target prps pp50 pp99 pbad <<<"$n"
    echo "| nginx fixed body, ${name#nginx-} the service | $(rps_cell "$rps" "$ref_rps") | $(ms_cell "$p50" "$ref_p50") |" \
      "$(ms_cell "$p99" "$ref_p99") | $(paced_cells "$target" "$prps") | $(ms_cell "$pp50" "$ref_pp50") |" \
      "$(ms_cell "$pp99" "$ref_pp99") | $((bad + pbad)) |"
  done
  if [ "$store" = memory ]; then
    for r in "${results[@]}"; do
      read -r name rps p50 p99 bad target prps pp50 pp99 pbad <<<"$r"
      case $name in
        health-ready) label="GET /health/ready (admin)" ;;
        list-users) label="GET /api/users ($users users stored)" ;;
        write-cycle) label="POST /api/users, then DELETE it (writes, as admin)" ;;
      esac
      echo "| $label | $(rps_cell "$rps" "$ref_rps") | $(ms_cell "$p50" "$ref_p50") | $(ms_cell "$p99" "$ref_p99") |" \
        "$(paced_cells "$target" "$prps") | $(ms_cell "$pp50" "$ref_pp50") | $(ms_cell "$pp99" "$ref_pp99") | $((bad + pbad)) |"
    done
  else
    echo
    echo "The service on PostgreSQL, saturated, beside pgbench running the same statement (target: service ÷ pgbench >= 0.6):"
    echo
    echo "| operation | service req/s (× nginx) | p50 | p99 | non-2xx | pgbench tps | pgbench latency avg | service ÷ pgbench |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for i in "${!results[@]}"; do
      read -r name rps p50 p99 bad <<<"${results[$i]}"
      read -r _ tps lat _ failed <<<"${pg_results[$i]}"
      case $name in
        list) label="list: GET /api/users ($users users stored)" ;;
        get) label="get: GET /api/users/{id}" ;;
        create) label="create: POST /api/users" ;;
        delete) label="delete: DELETE /api/users/{id}" ;;
      esac
      share=$(ratio "$rps" "$tps")
      verdict=$(awk -v s="$share" 'BEGIN {print (s >= 0.6) ? "met" : "not met"}')
      failures=""
      [ "$failed" = 0 ] || failures=", $failed failed"
      echo "| $label | $(rps_cell "$rps" "$ref_rps") | $(ms_cell "$p50" "$ref_p50") | $(ms_cell "$p99" "$ref_p99") | $bad |" \
        "$(printf '%.0f' "$tps")$failures | $lat ms | **$share** ($verdict) |"
    done
    if [ "$svc_exhausted" != 0 ] || [ "$pg_exhausted" != 0 ]; then
      echo
      echo "Warning: the delete runs used up their rows (wrk threads: $svc_exhausted, pgbench clients: $pg_exhausted);"
      echo "deletes of absent rows were measured too. Run again: the pool is sized from the create rates."
    fi
  fi
  echo
  echo "| measure | service | nginx | × nginx |"
  echo "|---|---:|---:|---:|"
  echo "| start to first 200 (service: on /health/ready) | $start_ms ms | $nginx_start_ms ms | $(ratio "$start_ms" "$nginx_start_ms" 0) |"
  echo "| RSS idle ($users users stored) | $((rss_idle / 1024)) MiB | $((nginx_rss_idle / 1024)) MiB | $(ratio "$rss_idle" "$nginx_rss_idle" 1) |"
  echo "| RSS peak under load | $((rss_peak / 1024)) MiB | $((nginx_rss_peak / 1024)) MiB | $(ratio "$rss_peak" "$nginx_rss_peak" 1) |"
} >"$out/results.md"
cat "$out/results.md"
