#!/usr/bin/env bash
# Builds the real service/Dockerfile and proves the image: size budget, labels, USER, its AOT cache, and a hardened run
# (--read-only, --cap-drop=ALL, no-new-privileges, tmpfs /tmp, 256 MiB) that must run as uid 65532, answer
# /health/ready and the API, pass its own HEALTHCHECK, honour JAVA_TOOL_OPTIONS and drain on SIGTERM.
# Records the image's size, layers and start-to-ready (with and without the AOT cache, same run) in
# service/target/image/results.md.
# Runs on a Linux host (it reads the container process's /proc status) with podman or docker.
#
# Usage: scripts/image-test.sh
# Env:   CONTAINER_ENGINE  podman (default) or docker
#        IMAGE_BASES       standin (default): local stand-ins for both base images (scripts/lib/standin-bases.sh),
#                          for hosts without registry access; upstream: the Dockerfile's own base images
#        IMAGE_TEST_RUNS   start-time samples (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/container-engine.sh
. scripts/lib/image-checks.sh
. scripts/lib/token.sh
. scripts/lib/usage.sh

usage() { usage_from_header; }
case ${1:-} in
  "") ;;
  -h | --help) usage; exit 0 ;;
  *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac
bases=${IMAGE_BASES:-standin}
case $bases in standin | upstream) ;; *) echo "IMAGE_BASES must be standin or upstream, not '$bases'" >&2; exit 2 ;; esac
runs=${IMAGE_TEST_RUNS:-3}
[[ $runs =~ ^[1-9][0-9]?$ ]] || { echo "IMAGE_TEST_RUNS must be a number from 1 to 99, not '$runs'" >&2; exit 2; }

for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool not found: apt-get install $tool" >&2; exit 1; }
done
image_checks_selftest || { echo "error: the image checks failed their own fixtures" >&2; exit 1; }
require_container_engine

image=localhost/users-api:image-test
standin_jdk=localhost/users-api-standin/eclipse-temurin:25-jdk
standin_runtime=localhost/users-api-standin/distroless-base:nonroot
out=service/target/image
mkdir -p "$out"
run_id=$$
containers=()
failures=()

fail() { failures+=("$1"); echo "FAIL: $1" >&2; }
pass() { echo "ok: $1"; }
check() { # $1 = what is checked; the rest = a check function and its arguments
  local what=$1 why; shift
  if why=$("$@"); then pass "$what"; else fail "$what: $why"; fi
}
cleanup() {
  local c
  for c in "${containers[@]}"; do "$ENGINE" rm -f "$c" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
host_port() { "$ENGINE" port "$1" "$2/tcp" | head -n 1 | sed 's/.*://'; }
http_status() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$@" || true; }

# Every run of the image is hardened as a restricted pod would run it, with the 256 MiB its flags are sized for.
hardened=(--read-only --cap-drop=ALL --security-opt no-new-privileges --tmpfs '/tmp:rw,mode=1777,size=64m' --memory 256m)

start_container() { # $1 = name; the rest = extra run options. Publishes both ports on random host ports.
  local name=$1 err; shift
  containers+=("$name")
  if ! err=$("$ENGINE" run -d --name "$name" "${hardened[@]}" \
    -p 127.0.0.1::8080 -p 127.0.0.1::8081 "$@" "$image" 2>&1 >/dev/null); then
    echo "error: $ENGINE run failed for $name: $err" >&2
    case $err in
      *rlimit*) echo "hint: this host cannot apply rlimits (no CAP_SYS_RESOURCE); see .ci/podman/env.sh" >&2 ;;
    esac
    return 1
  fi
  # Warnings (podman without systemd cannot schedule health timers) go to a log.
  [ -z "$err" ] || printf '%s\n' "$err" >>"$out/engine.log"
}

# Polls /health/ready with curl alone: an engine call per poll takes tens of ms and would blur the start figures,
# so whether the container still runs is asked only every half second. Fails if it exits or takes over 60 s.
# Prints the moment of the first 200 twice: wall-clock ms, and the kernel's uptime in ms (the clock of
# /proc/<pid>/stat start times, 10 ms resolution).
wait_ready() { # $1 = container
  local name=$1 start now last_check port uptime
  start=$(now_ms) last_check=$start
  port=$(host_port "$name" 8081)
  while [ "$(http_status "http://127.0.0.1:$port/health/ready")" != 200 ]; do
    now=$(now_ms)
    if [ $((now - last_check)) -ge 500 ]; then
      last_check=$now
      if [ "$("$ENGINE" inspect -f '{{.State.Running}}' "$name")" != true ]; then
        echo "container $name exited ($("$ENGINE" inspect -f '{{.State.ExitCode}}' "$name")); its log:" >&2
        "$ENGINE" logs "$name" 2>&1 | tail -n 20 >&2
        return 1
      fi
    fi
    [ $((now - start)) -lt 60000 ] || { echo "container $name not ready after 60 s" >&2; return 1; }
    sleep 0.01
  done
  read -r uptime _ </proc/uptime
  echo "$(now_ms) $(awk -v u="$uptime" 'BEGIN {printf "%d", u * 1000}')"
}

# A throw-away container: starts NAME with the run options, calls CHECK NAME once it is ready (or fails with
# WHAT when it never is), and removes it whatever happened.
with_container() { # name, what, check, run options...
  local name=$1 what=$2 check_fn=$3
  shift 3
  if start_container "$name" "$@" && wait_ready "$name" >/dev/null; then
    "$check_fn" "$name"
  else
    fail "$what"
  fi
  "$ENGINE" rm -f "$name" >/dev/null 2>&1 || true
}

# ms from the JVM's own start time (process_start_time_seconds: the end of the VM's initialisation, so it leaves out
# the launcher and the VM's own start) to the moment readiness answered 200
jvm_to_ready_ms() { # $1 = container, $2 = the wall-clock ms when readiness answered
  local started
  started=$(curl -s -m 5 "http://127.0.0.1:$(host_port "$1" 8081)/metrics" | awk '$1 == "process_start_time_seconds" {print $2}')
  [ -n "$started" ] || { echo "n/a"; return; }
  awk -v ready="$2" -v s="$started" 'BEGIN {printf "%d", ready - s * 1000}'
}

# ms from the start of the container's process (forked by the OCI runtime, then exec'd into the JVM; its start time
# in /proc, in clock ticks since boot) to the moment readiness answered 200, on the kernel's uptime clock
process_to_ready_ms() { # $1 = container, $2 = the uptime in ms when readiness answered
  local pid ticks
  pid=$("$ENGINE" inspect -f '{{.State.Pid}}' "$1")
  ticks=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $20}')
  [ -n "$ticks" ] || { echo "n/a"; return; }
  echo $(($2 - ticks * 1000 / $(getconf CLK_TCK)))
}

# --- build ---
label_lines=$(scripts/lib/image-build-args.sh)
mapfile -t label_args <<<"$label_lines"
build_args=()
for arg in "${label_args[@]}"; do build_args+=(--build-arg "$arg"); done
version=$(sed -n 's/^VERSION=//p' <<<"$label_lines")
revision=$(sed -n 's/^REVISION=//p' <<<"$label_lines")
if [ "$bases" = standin ]; then
  scripts/lib/standin-bases.sh "$standin_jdk" "$standin_runtime"
  build_args+=(--build-arg "JDK_IMAGE=$standin_jdk" --build-arg "RUNTIME_IMAGE=$standin_runtime")
  base_image=$standin_runtime
else
  base_image=$(sed -n 's/^ARG RUNTIME_IMAGE=//p' service/Dockerfile)
fi
# podman writes OCI images by default, and OCI has no HEALTHCHECK: ask for the docker format.
format=(); [ "$ENGINE" = podman ] && format=(--format docker)
echo "building $image with $ENGINE ($bases bases) ..."
build_start=$(now_ms)
if ! "$ENGINE" build "${format[@]}" -f service/Dockerfile "${build_args[@]}" -t "$image" . >"$out/build.log" 2>&1; then
  tail -n 40 "$out/build.log" >&2
  echo "error: the image build failed; full log: $out/build.log" >&2
  exit 1
fi
build_ms=$(($(now_ms) - build_start))
pass "image built in $((build_ms / 1000)) s"

# --- the image's configuration ---
size=$("$ENGINE" image inspect -f '{{.Size}}' "$image")
base_size=$("$ENGINE" image inspect -f '{{.Size}}' "$base_image")
counted=$(counted_image_bytes "$bases" "$size" "$base_size")
if [ "$bases" = standin ]; then
  size_summary="$(mb "$counted") MB = our layers $(mb $((size - base_size))) MB + the real base's estimate $(mb "$real_base_estimate_bytes") MB (the stand-in \`$base_image\`, $(mb "$base_size") MB, not counted)"
else
  size_summary="$(mb "$counted") MB = our layers $(mb $((size - base_size))) MB + base \`$base_image\` $(mb "$base_size") MB"
fi
check "size $size_summary within budget" check_size "$counted"
# The cache's size, read from the image's file system (engine-neutral: `cp` out of a created container as a tar).
cache_container=users-api-image-test-cache-$run_id
containers+=("$cache_container")
cache_bytes=$("$ENGINE" create --name "$cache_container" "$image" >/dev/null &&
  "$ENGINE" cp "$cache_container:/app/users-api.aot" - | tar -tvf - | awk 'NR == 1 {print $3}') || cache_bytes=""
"$ENGINE" rm -f "$cache_container" >/dev/null 2>&1 || true
if [[ $cache_bytes =~ ^[0-9]+$ ]] && [ "$cache_bytes" -gt 1000000 ]; then pass "AOT cache /app/users-api.aot: $(mb "$cache_bytes") MB"; else
  fail "no AOT cache at /app/users-api.aot in the image"; cache_bytes=0
fi
# The image's own JVM defaults, as a container gets them.
image_tool_options=$("$ENGINE" image inspect -f '{{json .Config.Env}}' "$image" | jq -r '.[] | select(startswith("JAVA_TOOL_OPTIONS=")) | sub("^JAVA_TOOL_OPTIONS="; "")')
[ -n "$image_tool_options" ] || fail "the image sets no JAVA_TOOL_OPTIONS"
check "OCI labels" check_labels "$("$ENGINE" image inspect -f '{{json .Config.Labels}}' "$image")" "${label_args[@]}"
base_label=$("$ENGINE" image inspect -f '{{ index .Config.Labels "org.opencontainers.image.base.name" }}' "$image")
if [ "$base_label" = "$base_image" ]; then pass "base image label: $base_label"; else
  fail "label org.opencontainers.image.base.name is '$base_label', the build used '$base_image'"
fi
check "USER 65532:65532" check_user "$("$ENGINE" image inspect -f '{{.Config.User}}' "$image")"
check "ENTRYPOINT in exec form" check_exec_form "$("$ENGINE" image inspect -f '{{json .Config.Entrypoint}}' "$image")"
healthcheck_json=$("$ENGINE" image inspect -f '{{json .Config.Healthcheck}}' "$image")
mapfile -t healthcheck_cmd < <(jq -r 'if .Test[0] == "CMD" then .Test[1:][] else empty end' <<<"${healthcheck_json:-null}" 2>/dev/null)
if [ ${#healthcheck_cmd[@]} -gt 0 ]; then pass "HEALTHCHECK in exec form: ${healthcheck_cmd[*]}"; else fail "no HEALTHCHECK in exec form (CMD [...]): $healthcheck_json"; fi

# --- hardened run ---
drain=3
token=$(new_token)
tokens_file=$out/tokens
printf 'writer %s\n' "$(sha256_hex "$token")" >"$tokens_file"
chmod 644 "$tokens_file"
main=users-api-image-test-$run_id
start_container "$main" -e USERS_API_DRAIN_SECONDS=$drain -e USERS_API_TOKENS_FILE=/etc/users-api/tokens \
  -v "$PWD/$tokens_file:/etc/users-api/tokens:ro" || { echo "image test: the container cannot start" >&2; exit 1; }
wait_ready "$main" >/dev/null || { fail "the hardened container never became ready"; exit 1; }
pass "hardened container ready"
http=$(host_port "$main" 8080) admin=$(host_port "$main" 8081)

pid=$("$ENGINE" inspect -f '{{.State.Pid}}' "$main")
check "JVM runs as uid $image_uid with no capabilities and no_new_privs" \
  check_process_identity "$(cat "/proc/$pid/status")" "$(cat "/proc/$pid/uid_map")"
ready_status=$(http_status "http://127.0.0.1:$admin/health/ready")
if [ "$ready_status" = 200 ]; then pass "admin /health/ready 200"; else fail "admin /health/ready answered $ready_status"; fi
users=$(curl -s -m 5 "http://127.0.0.1:$http/api/users")
if jq -e '.items | type == "array"' <<<"$users" >/dev/null 2>&1; then pass "GET /api/users: $users"; else fail "GET /api/users answered '$users'"; fi
created_status=$(http_status -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"Image Test","email":"image-test@example.org"}' "http://127.0.0.1:$http/api/users")
if [ "$created_status" = 201 ]; then pass "POST /api/users with the mounted tokens file: 201"; else
  fail "POST /api/users with a writer token answered $created_status, expected 201"
fi
# The JVM's maximum heap in bytes, as the service reports it on the admin port $1.
heap_max_bytes() {
  curl -s -m 5 "http://127.0.0.1:$1/metrics" | awk '$1 == "jvm_memory_max_bytes{area=\"heap\"}" {printf "%d", $2}'
}
heap_max=$(heap_max_bytes "$admin")
# The share the Dockerfile's JAVA_TOOL_OPTIONS gives the heap, of the 256 MiB this test's container gets.
heap_pct=$(sed -n 's/.*JAVA_TOOL_OPTIONS=".*-XX:MaxRAMPercentage=\([0-9]*\).*/\1/p' service/Dockerfile | head -n 1)
expected_heap=$((256 * 1024 * 1024 * ${heap_pct:-0} / 100))
if [ "${heap_pct:-0}" -gt 0 ] && [ -n "$heap_max" ] && [ $((heap_max * 100 / expected_heap)) -ge 95 ] &&
  [ $((heap_max * 100 / expected_heap)) -le 100 ]; then
  pass "heap limit $((heap_max / 1048576)) MiB = $heap_pct% of the 256 MiB container limit"
else
  fail "heap limit is '${heap_max:-unknown}' bytes, expected about $expected_heap (MaxRAMPercentage=${heap_pct:-?} of 256 MiB)"
fi

if [ ${#healthcheck_cmd[@]} -gt 0 ]; then
  if "$ENGINE" exec "$main" "${healthcheck_cmd[@]}" >/dev/null 2>&1; then pass "HEALTHCHECK command exits 0"; else fail "HEALTHCHECK command failed on a ready container"; fi
  if "$ENGINE" exec -e ADMIN_PORT=1 "$main" "${healthcheck_cmd[@]}" >/dev/null 2>&1; then
    fail "HEALTHCHECK command exits 0 against a port with no server: it cannot detect a dead service"
  else
    pass "HEALTHCHECK command fails when the admin port does not answer"
  fi
  if [ "$ENGINE" = podman ]; then
    if podman healthcheck run "$main" >/dev/null 2>>"$out/engine.log"; then pass "podman healthcheck run: healthy"; else fail "podman healthcheck run: unhealthy"; fi
  fi
fi

# SIGTERM: readiness goes DOWN at once, requests are still served for the drain period, then a clean exit.
stop_start=$(now_ms)
"$ENGINE" kill --signal TERM "$main" >/dev/null
sleep 0.5
ready_during=$(http_status "http://127.0.0.1:$admin/health/ready")
api_during=$(http_status "http://127.0.0.1:$http/api/users")
"$ENGINE" wait "$main" >/dev/null 2>&1 || true
stop_ms=$(($(now_ms) - stop_start))
exit_code=$("$ENGINE" inspect -f '{{.State.ExitCode}}' "$main")
"$ENGINE" logs "$main" >"$out/container.log" 2>&1 || true
check "SIGTERM: drained $drain s and stopped in $stop_ms ms, exit $exit_code" \
  check_drain "$stop_ms" "$drain" "$exit_code" "$ready_during" "$api_during"
if grep -q '"message":"stopped"' "$out/container.log"; then pass "the log ends with 'stopped'"; else
  fail "no 'stopped' log line after SIGTERM (see $out/container.log)"
fi

# The same checks must reject the same image run as root: proves the identity check reads the real process.
identity_check_rejects() { # $1 = a container run as root
  local pid
  pid=$("$ENGINE" inspect -f '{{.State.Pid}}' "$1")
  if check_process_identity "$(cat "/proc/$pid/status")" "$(cat "/proc/$pid/uid_map")" >/dev/null; then
    fail "the identity check accepted a container run with --user 0:0"
  else
    pass "the identity check rejects the image run with --user 0:0"
  fi
}
with_container "users-api-image-test-root-$run_id" "the image did not start with --user 0:0 (needed for the identity check's fixture)" \
  identity_check_rejects --user 0:0

# JAVA_TOOL_OPTIONS replaces the defaults: 50% of 256 MiB.
heap_is_half() { # $1 = a container run with MaxRAMPercentage=50
  heap_max=$(heap_max_bytes "$(host_port "$1" 8081)")
  if [ -n "$heap_max" ] && [ $((heap_max / 1048576)) -ge 120 ] && [ $((heap_max / 1048576)) -le 128 ]; then
    pass "JAVA_TOOL_OPTIONS overrides the defaults (heap $((heap_max / 1048576)) MiB with MaxRAMPercentage=50)"
  else
    fail "with JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=50 the heap limit is '${heap_max:-unknown}' bytes, expected 128 MiB"
  fi
}
# Replacing the defaults drops -XX:+UseCompactObjectHeaders, which the cache was written with: the JVM must say so
# and start without the cache (AOTMode auto), not fail.
heap_is_half_without_cache() { # $1 = a container run with JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=50
  local log
  heap_is_half "$1"
  # Read whole first: grep -q stops at the first match, and under pipefail the writer's SIGPIPE would fail the test.
  log=$("$ENGINE" logs "$1" 2>&1)
  if grep -q 'Unable to use AOT cache' <<<"$log"; then
    pass "with flags the AOT cache does not fit, the JVM warns and starts without it"
  else
    fail "with JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=50 the JVM printed no 'Unable to use AOT cache': did it use a cache written with other flags?"
  fi
}
with_container "users-api-image-test-override-$run_id" "the image did not start with JAVA_TOOL_OPTIONS overridden" \
  heap_is_half_without_cache -e JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50"

# -XX:AOTMode=on fails the start unless the cache is used: with the image's defaults it must be ready (proof that
# the shipped cache matches the shipped jars, runtime and flags; the JVM checks the jars' paths, sizes and mtimes).
cache_is_used() { pass "ready with -XX:AOTMode=on: the AOT cache matches the image's jars, runtime and flags"; }
with_container "users-api-image-test-aot-on-$run_id" "the image did not start with -XX:AOTMode=on: its AOT cache is unusable" \
  cache_is_used -e JAVA_TOOL_OPTIONS="$image_tool_options -XX:AOTMode=on"
# ... and the same check must be able to fail: AOTMode=on with flags the cache does not fit stops the JVM.
aot_on_container=users-api-image-test-aot-on-bad-$run_id
containers+=("$aot_on_container")
if aot_on_output=$(timeout 60 "$ENGINE" run --name "$aot_on_container" "${hardened[@]}" \
  -e JAVA_TOOL_OPTIONS=-XX:AOTMode=on "$image" 2>&1); then
  fail "with -XX:AOTMode=on and flags the cache does not fit, the JVM did not stop"
elif grep -q 'Unable to use AOT cache' <<<"$aot_on_output"; then
  pass "-XX:AOTMode=on stops the JVM when the cache does not fit (the check above can fail)"
else
  fail "with -XX:AOTMode=on and incompatible flags the container failed for another reason: $(tail -n 3 <<<"$aot_on_output")"
fi
"$ENGINE" rm -f "$aot_on_container" >/dev/null 2>&1 || true

# --- start time of the shipped image, in the same hardened, 256 MiB container ---
# Each run gives (a) process: from the container's process start to the first 200 of /health/ready, (b) engine:
# from `$ENGINE run` to it, and the JVM's own figure. The reference, in the same run: the image with the AOT
# cache switched off (its default flags plus -XX:AOTMode=off), started alternately with the shipped image.
aot_process=() aot_engine=() aot_jvm=() off_process=() off_engine=() off_jvm=()
start_load=$(cut -d' ' -f1-3 /proc/loadavg)
measure_start() { # $1 = container name, $2 = aot|off, the rest = run options
  local name=$1 kind=$2 t0 ready wall uptime process engine jvm
  shift 2
  t0=$(now_ms)
  if start_container "$name" -e USERS_API_DRAIN_SECONDS=0 "$@" && ready=$(wait_ready "$name"); then
    read -r wall uptime <<<"$ready"
    engine=$((wall - t0))
    process=$(process_to_ready_ms "$name" "$uptime")
    jvm=$(jvm_to_ready_ms "$name" "$wall")
    if [ "$kind" = aot ]; then aot_process+=("$process") aot_engine+=("$engine") aot_jvm+=("$jvm"); else
      off_process+=("$process") off_engine+=("$engine") off_jvm+=("$jvm")
    fi
  else
    fail "start-time run $name never became ready"
  fi
  "$ENGINE" rm -f "$name" >/dev/null 2>&1 || true
}
for i in $(seq 1 "$runs"); do
  measure_start "users-api-image-test-start-$i-$run_id" aot
  measure_start "users-api-image-test-start-off-$i-$run_id" off -e JAVA_TOOL_OPTIONS="$image_tool_options -XX:AOTMode=off"
done
summary() { # $1 = process figures, $2 = engine figures, $3 = JVM figures (space-separated)
  # shellcheck disable=SC2086 # word splitting wanted: the figures
  echo "process $(median ${1:-n/a}) ms, engine $(median ${2:-n/a}) ms, JVM $(median ${3:-n/a}) ms (median of $runs; process: ${1:-n/a}; engine: ${2:-n/a})"
}
aot_summary=$(summary "${aot_process[*]}" "${aot_engine[*]}" "${aot_jvm[*]}")
off_summary=$(summary "${off_process[*]}" "${off_engine[*]}" "${off_jvm[*]}")
aot_median=n/a off_median=n/a
[ ${#aot_process[@]} -eq 0 ] || aot_median=$(median "${aot_process[@]}")
[ ${#off_process[@]} -eq 0 ] || off_median=$(median "${off_process[@]}")
ratio=$(awk -v a="$aot_median" -v o="$off_median" 'BEGIN {if (a + 0 > 0 && o + 0 > 0) printf "%.2f", a / o; else print "n/a"}')
echo "start to ready with the AOT cache: $aot_summary"
echo "start to ready without it:         $off_summary"
echo "ratio (process, cache / no cache): $ratio"

# --- results ---
{
  echo "# users-api image: test results"
  echo
  echo "Written by scripts/image-test.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ) with $ENGINE; bases: $bases."
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| image | \`$image\` ($version, revision $revision) |"
  echo "| size counted | $size_summary (budget $(mb "$image_budget_bytes") MB) |"
  echo "| AOT cache | $(mb "$cache_bytes") MB (/app/users-api.aot) |"
  echo "| build time | $((build_ms / 1000)) s (layer cache as found) |"
  echo "| start to ready, shipped image (AOT cache) | $aot_summary |"
  echo "| start to ready, cache off (-XX:AOTMode=off) | $off_summary |"
  echo "| ratio, process figures | $ratio (cache / no cache, same run) |"
  echo "| SIGTERM with ${drain} s drain | stopped after $stop_ms ms, exit $exit_code |"
  echo
  echo "Start to ready, each to the first 200 of /health/ready (polled with curl every ~10 ms): \"process\" (a) from"
  echo "the start of the container's process (/proc start time: forked by the OCI runtime, exec'd into the JVM; 10 ms"
  echo "clock) -- the time in the container; \"engine\" (b) from \`$ENGINE run\`, the engine's own work included;"
  echo "\"JVM\" from the JVM's process_start_time_seconds (the end of the VM's own initialisation). Runs alternate"
  echo "between the two sets of flags; all use --memory 256m, --read-only, --cap-drop=ALL; $(nproc) CPUs, load average"
  echo "$start_load before the start runs."
  echo
  echo "## Layers (newest first)"
  echo
  echo "| size | created by |"
  echo "|---:|---|"
  "$ENGINE" history --no-trunc --format '{{.Size}}|{{.CreatedBy}}' "$image" |
    while IFS='|' read -r human_size created_by; do
      created_by=$(tr -s ' ' <<<"$created_by" | cut -c1-110)
      echo "| $human_size | \`${created_by//|/\\|}\` |"
    done
  echo
  if [ ${#failures[@]} -eq 0 ]; then echo "All checks passed."; else
    echo "## Failures"; echo; printf -- '- %s\n' "${failures[@]}"
  fi
} >"$out/results.md"
echo "results: $out/results.md"

if [ ${#failures[@]} -gt 0 ]; then
  echo "image test: ${#failures[@]} check(s) failed:" >&2
  printf '  - %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "image test: all checks passed"
