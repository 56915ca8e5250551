# shellcheck shell=bash
# Sourced by the image scripts: picks the container engine and exports ENGINE.
# CONTAINER_ENGINE selects it (podman or docker); podman is the default because it needs no daemon.

require_container_engine() {
  ENGINE=${CONTAINER_ENGINE:-podman}
  case $ENGINE in
    podman | docker) ;;
    *) echo "error: CONTAINER_ENGINE must be podman or docker, not '$ENGINE'" >&2; exit 2 ;;
  esac
  if ! command -v "$ENGINE" >/dev/null 2>&1; then
    if [ "$ENGINE" = podman ]; then
      echo "error: podman not found: apt-get install podman runc (or set CONTAINER_ENGINE=docker)" >&2
    else
      echo "error: docker not found: install Docker Engine (or unset CONTAINER_ENGINE to use podman)" >&2
    fi
    exit 1
  fi
  if ! "$ENGINE" info >/dev/null 2>&1; then
    echo "error: '$ENGINE info' failed: the container engine is installed but not usable here:" >&2
    "$ENGINE" info 2>&1 | tail -n 3 >&2
    exit 1
  fi
  export ENGINE
}
