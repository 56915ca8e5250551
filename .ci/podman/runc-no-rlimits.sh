#!/bin/sh
# OCI runtime wrapper for CI sandboxes that lack CAP_SYS_RESOURCE: runc cannot apply the rlimits podman
# writes into every container ("setrlimit RLIMIT_NPROC: Operation not permitted"), and crun cannot run
# on the hybrid cgroups there at all. Drops the rlimits from the bundle's config.json (create/run) or
# from the process file (exec), then hands over to the real runc with the arguments unchanged.
# Registered by containers.conf.in; see env.sh.
set -eu

real_runc=${CI_REAL_RUNC:-}
if [ -z "$real_runc" ]; then
  for c in /usr/sbin/runc /usr/bin/runc /usr/local/sbin/runc /usr/local/bin/runc; do
    [ -x "$c" ] && { real_runc=$c; break; }
  done
fi
[ -n "$real_runc" ] || { echo "runc-no-rlimits: runc not found (apt-get install runc)" >&2; exit 127; }
command -v jq >/dev/null 2>&1 || { echo "runc-no-rlimits: jq not found (apt-get install jq)" >&2; exit 127; }

drop() { # $1 = JSON file, $2 = jq path of the rlimits
  [ -f "$1" ] || return 0
  jq "del($2)" "$1" >"$1.norlimits" && mv "$1.norlimits" "$1"
}

prev=
for arg in "$@"; do
  case $prev in
    --bundle | -b) drop "$arg/config.json" .process.rlimits ;;
    --process | -p) drop "$arg" .rlimits ;;
  esac
  case $arg in
    --bundle=*) drop "${arg#--bundle=}/config.json" .process.rlimits ;;
    --process=*) drop "${arg#--process=}" .rlimits ;;
  esac
  prev=$arg
done
exec "$real_runc" "$@"
