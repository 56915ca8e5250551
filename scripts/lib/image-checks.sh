# shellcheck shell=bash
# Checks of the image test (scripts/image-test.sh), as functions that print why they fail and return 1.
# Pure ones take values, so that image_checks_selftest can prove each of them rejects a bad fixture.

# As podman and docker count sizes: issue #13's 100 MB, with the JDK AOT cache in (docs/architecture.md,
# "Image size budget": the layers' figures and what was cut to fit).
image_budget_bytes=100000000
# The real runtime base, gcr.io/distroless/base-nossl-debian13, cannot be pulled on offline hosts, where a
# stand-in of a few glibc files replaces it: the budget then counts this estimate instead of the stand-in. It is
# the sum of the files of its Debian packages (libc6 with its gconv modules, tzdata, base-files, netbase, the CA
# bundle) plus ~5%; derivation and source in docs/architecture.md ("Image size budget").
real_base_estimate_bytes=15500000
image_uid=65532
oci_label_keys=(title description version revision created source licenses vendor)

# Prints the bytes the budget counts. $1 = standin|upstream (the bases built on), $2 = the image's size,
# $3 = the size of the base it was built on: with a stand-in base, our layers plus the real base's estimate.
counted_image_bytes() {
  case $1 in
    upstream) echo "$2" ;;
    standin) echo $(($2 - $3 + real_base_estimate_bytes)) ;;
    *) echo "counted_image_bytes: bases must be standin or upstream, not '$1'" >&2; return 2 ;;
  esac
}

check_size() { # $1 = image size in bytes, as counted_image_bytes gives it
  if [ "$1" -gt "$image_budget_bytes" ]; then
    echo "image is $(mb "$1") MB, over the budget of $(mb "$image_budget_bytes") MB"
    return 1
  fi
}

# $1 = the image's labels as a JSON object, then the build arguments as KEY=VALUE (scripts/lib/image-build-args.sh):
# each label the Dockerfile fills from an argument must carry the value passed.
check_labels() {
  local labels=$1 key value pair bad=0
  shift
  for key in "${oci_label_keys[@]}"; do
    value=$(jq -r --arg k "org.opencontainers.image.$key" '.[$k] // ""' <<<"$labels")
    if [ -z "$value" ]; then echo "label org.opencontainers.image.$key is missing or empty"; bad=1; fi
  done
  for pair in "$@"; do
    key=$(printf '%s' "${pair%%=*}" | tr '[:upper:]' '[:lower:]')
    value=$(jq -r --arg k "org.opencontainers.image.$key" '.[$k] // ""' <<<"$labels")
    if [ "$value" != "${pair#*=}" ]; then
      echo "label org.opencontainers.image.$key is '$value', the build passed '${pair#*=}'"; bad=1
    fi
  done
  return $bad
}

check_user() { # $1 = the image's configured User
  if [ "$1" != "$image_uid:$image_uid" ]; then
    echo "image USER is '$1', expected '$image_uid:$image_uid' written out"
    return 1
  fi
}

check_exec_form() { # $1 = the image's Entrypoint as a JSON array
  local first
  first=$(jq -r '.[0] // ""' <<<"$1")
  case $first in
    /opt/java/bin/java) ;;
    *) echo "ENTRYPOINT is $1; expected the exec form starting with /opt/java/bin/java (no shell)"; return 1 ;;
  esac
}

# $1 = contents of /proc/<pid>/status, $2 = /proc/<pid>/uid_map: the uid inside the container's user namespace.
container_uid() {
  local host_uid
  host_uid=$(awk '/^Uid:/ {print $3; exit}' <<<"$1") # effective uid
  awk -v u="$host_uid" '$2 <= u && u < $2 + $3 {print u - $2 + $1; found=1; exit} END {if (!found) print "unmapped"}' <<<"$2"
}

check_process_identity() { # $1 = /proc/<pid>/status, $2 = /proc/<pid>/uid_map
  local uid caps nnp bad=0
  uid=$(container_uid "$1" "$2")
  caps=$(awk '/^CapEff:/ {print $2}' <<<"$1")
  nnp=$(awk '/^NoNewPrivs:/ {print $2}' <<<"$1")
  [ "$uid" = "$image_uid" ] || { echo "the JVM runs as uid $uid, expected $image_uid"; bad=1; }
  [ "$caps" = 0000000000000000 ] || { echo "the JVM has effective capabilities $caps, expected none (--cap-drop=ALL)"; bad=1; }
  [ "$nnp" = 1 ] || { echo "no_new_privs is '$nnp', expected 1"; bad=1; }
  return $bad
}

# $1 = observed stop time in ms, $2 = drain seconds, $3 = exit code, $4 = readiness status during the drain,
# $5 = /api/users status during the drain
check_drain() {
  local ms=$1 drain_ms=$(($2 * 1000)) bad=0
  [ "$4" = 503 ] || { echo "during the drain /health/ready answered $4, expected 503"; bad=1; }
  [ "$5" = 200 ] || { echo "during the drain GET /api/users answered $5, expected 200 (still serving)"; bad=1; }
  [ "$ms" -ge $((drain_ms - 300)) ] || { echo "stopped after $ms ms, before the drain period of $drain_ms ms"; bad=1; }
  [ "$ms" -le $((drain_ms + 6000)) ] || { echo "stopped after $ms ms, more than 6 s past the drain period"; bad=1; }
  case $3 in 0 | 143) ;; *) echo "exit code $3 after SIGTERM, expected 0 or 143"; bad=1 ;; esac
  return $bad
}

mb() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1000000}'; }

median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# Every check above must reject a bad value: otherwise it could pass a broken image.
image_checks_selftest() {
  local labels ok status map
  labels='{"org.opencontainers.image.title":"t","org.opencontainers.image.description":"d",
    "org.opencontainers.image.version":"1.0","org.opencontainers.image.revision":"abc",
    "org.opencontainers.image.created":"2026-01-01T00:00:00Z","org.opencontainers.image.source":"s",
    "org.opencontainers.image.licenses":"l","org.opencontainers.image.vendor":"v"}'
  status=$'Uid:\t65532\t65532\t65532\t65532\nCapEff:\t0000000000000000\nNoNewPrivs:\t1'
  map='         0          0 4294967295'
  ok=1
  expect() { # $1 = pass|fail, then the check and its arguments
    local want=$1; shift
    if "$@" >/dev/null; then [ "$want" = pass ] && return 0; else [ "$want" = fail ] && return 0; fi
    echo "self-test: '$1' should $want on its fixture" >&2; ok=0
  }
  expect pass check_size 100000000
  expect fail check_size 100000001
  # 90 MB of our layers on a 3 MB stand-in fit only if the stand-in is counted instead of the real base.
  expect fail check_size "$(counted_image_bytes standin 93000000 3000000)"
  expect pass check_size "$(counted_image_bytes upstream 93000000 3000000)"
  [ "$(counted_image_bytes standin 93000000 3000000)" = $((90000000 + real_base_estimate_bytes)) ] ||
    { echo "self-test: counted_image_bytes standin" >&2; ok=0; }
  expect pass check_labels "$labels" VERSION=1.0 REVISION=abc CREATED=2026-01-01T00:00:00Z LICENSES=l
  expect fail check_labels "$(jq 'del(.["org.opencontainers.image.vendor"])' <<<"$labels")" VERSION=1.0
  expect fail check_labels "$labels" VERSION=1.0 REVISION=other-revision
  expect fail check_labels "$labels" LICENSES=Apache-2.0
  expect pass check_user 65532:65532
  expect fail check_user 65532
  expect fail check_user ""
  expect pass check_exec_form '["/opt/java/bin/java","-jar","/app/users-api.jar"]'
  expect fail check_exec_form '["/bin/sh","-c","java -jar /app/users-api.jar"]'
  expect pass check_process_identity "$status" "$map"
  expect fail check_process_identity "${status//65532/0}" "$map"
  expect fail check_process_identity "${status/0000000000000000/00000000a80425fb}" "$map"
  expect fail check_process_identity "${status/NoNewPrivs:$'\t'1/NoNewPrivs:$'\t'0}" "$map"
  # rootless engines map the container's uids: host 165532 is uid 65532 inside
  expect pass check_process_identity "${status//65532/165532}" '         0     100000      65536'
  expect pass check_drain 3100 3 143 503 200
  expect fail check_drain 400 3 143 503 200
  expect fail check_drain 12000 3 0 503 200
  expect fail check_drain 3100 3 137 503 200
  expect fail check_drain 3100 3 0 200 200
  expect fail check_drain 3100 3 0 503 000
  [ "$(median 5 1 3)" = 3 ] || { echo "self-test: median" >&2; ok=0; }
  [ $ok = 1 ]
}
