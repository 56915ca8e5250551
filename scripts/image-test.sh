#!/usr/bin/env bash
# Builds the real service/Dockerfile and proves the image: size budget, labels, USER, and a hardened run
# (--read-only, --cap-drop=ALL, no-new-privileges, tmpfs /tmp, 256 MiB) that must run as uid 65532, answer
# /health/ready and the API, pass its own HEALTHCHECK, honour JAVA_TOOL_OPTIONS and drain on SIGTERM.
# Records the image's size, layers and in-container start-to-ready in service/target/image/results.md.
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

start_container() { # $1 = name; the rest = extra run options. Publishes both ports on random host ports.
  local name=$1 err; shift
  containers+=("$name")
  if ! err=$("$ENGINE" run -d --name "$name" --read-only --cap-drop=ALL --security-opt no-new-privileges \
    --tmpfs /tmp:rw,mode=1777,size=64m --memory 256m \
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

wait_ready() { # $1 = container; prints the ms it took from now, fails if it exits or takes over 60 s
  local name=$1 start port
  start=$(now_ms)
  port=$(host_port "$name" 8081)
  while [ "$(http_status "http://127.0.0.1:$port/health/ready")" != 200 ]; do
    if [ "$("$ENGINE" inspect -f '{{.State.Running}}' "$name")" != true ]; then
      echo "container $name exited ($("$ENGINE" inspect -f '{{.State.ExitCode}}' "$name")); its log:" >&2
      "$ENGINE" logs "$name" 2>&1 | tail -n 20 >&2
      return 1
    fi
    [ $(($(now_ms) - start)) -lt 60000 ] || { echo "container $name not ready after 60 s" >&2; return 1; }
    sleep 0.02
  done
  echo $(($(now_ms) - start))
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

# ms from the JVM's own start (process_start_time_seconds) to the moment readiness answered 200
jvm_to_ready_ms() { # $1 = container, $2 = the wall-clock ms when readiness answered
  local started
  started=$(curl -s -m 5 "http://127.0.0.1:$(host_port "$1" 8081)/metrics" | awk '$1 == "process_start_time_seconds" {print $2}')
  [ -n "$started" ] || { echo "n/a"; return; }
  awk -v ready="$2" -v s="$started" 'BEGIN {printf "%d", ready - s * 1000}'
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
check "size $(mb "$size") MB (our layers $(mb $((size - base_size))) MB + base $(mb "$base_size") MB) within budget" check_size "$size"
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
ready_ms=$(wait_ready "$main") || { fail "the hardened container never became ready"; exit 1; }
pass "hardened container ready after $ready_ms ms"
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
with_container "users-api-image-test-override-$run_id" "the image did not start with JAVA_TOOL_OPTIONS overridden" \
  heap_is_half -e JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50"

# --- start time of the shipped image, in the same hardened, 256 MiB container ---
container_ms=() jvm_ms=()
record_start_time() { # $1 = a container that has just become ready, started at $start
  local ready_at
  ready_at=$(now_ms)
  container_ms+=($((ready_at - start)))
  jvm_ms+=("$(jvm_to_ready_ms "$1" "$ready_at")")
}
for i in $(seq 1 "$runs"); do
  start=$(now_ms)
  with_container "users-api-image-test-start-$i-$run_id" "start-time run #$i never became ready" \
    record_start_time -e USERS_API_DRAIN_SECONDS=0
done
[ ${#container_ms[@]} -gt 0 ] || container_ms=(n/a) jvm_ms=(n/a)
start_summary="container $(median "${container_ms[@]}") ms, JVM $(median "${jvm_ms[@]}") ms (median of $runs: ${container_ms[*]} / ${jvm_ms[*]})"
echo "start to ready: $start_summary"

# --- results ---
{
  echo "# users-api image: test results"
  echo
  echo "Written by scripts/image-test.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ) with $ENGINE; bases: $bases."
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| image | \`$image\` ($version, revision $revision) |"
  echo "| size | $(mb "$size") MB = our layers $(mb $((size - base_size))) MB + base \`$base_image\` $(mb "$base_size") MB (budget $(mb "$image_budget_bytes") MB) |"
  echo "| build time | $((build_ms / 1000)) s (layer cache as found) |"
  echo "| start to ready | $start_summary |"
  echo "| SIGTERM with ${drain} s drain | stopped after $stop_ms ms, exit $exit_code |"
  echo
  echo "Start to ready: \"container\" from \`$ENGINE run\` to the first 200 of /health/ready; \"JVM\" from the JVM's"
  echo "start (process_start_time_seconds) to that 200. Runs use --memory 256m, --read-only, --cap-drop=ALL."
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
