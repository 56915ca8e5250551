#!/usr/bin/env bash
# Shows what would be deployed: the rendered manifests of an environment, how dev and prod differ, and (when a
# cluster is reachable) what applying an environment would change there.
# Usage: scripts/preview.sh ENV | --diff [ENV] | -h|--help       (ENV: a folder under overlays/, e.g. dev, prod)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/environments.sh

usage() {
  cat <<USAGE
usage: scripts/preview.sh ENV          print what Argo CD deploys for ENV: overlays/ENV rendered (prod: as at
                                       the release it runs)
       scripts/preview.sh --diff       show how dev and prod differ, then (if a cluster is reachable)
                                       what applying each would change there (kubectl diff)
       scripts/preview.sh --diff ENV   only the live-cluster diff of overlays/ENV
       scripts/preview.sh -h|--help
environments: $(environments | tr '\n' ' ')
USAGE
}

require_kubectl() {
  command -v kubectl >/dev/null 2>&1 || {
    echo "error: kubectl not found: install kubectl 1.27 or newer (it renders the overlays with 'kubectl kustomize')" >&2
    exit 1
  }
}

# What Argo CD deploys for an environment: overlays/ENV as in the work tree for dev, which follows the branch;
# for prod, which runs a release, overlays/prod as at that release commit (scripts/lib/release.sh). Before the
# first release there is none: say so and show what the next promotion would release.
render() { # $1 = environment
  if [ "$(scripts/lib/release.sh revision "$1")" = none ]; then
    echo "note: $1 runs no release yet (scripts/promote.sh makes the first); showing overlays/$1 as it is now" >&2
    kubectl kustomize "overlays/$1"
  else
    scripts/lib/release.sh render "$1"
  fi
}

# stdin from /dev/null: kubectl would otherwise wait at a credentials prompt for a context without any.
cluster_reachable() {
  kubectl cluster-info --request-timeout=5s </dev/null >/dev/null 2>&1
}

# kubectl diff and diff exit 1 when there are differences: that is a result, not a failure.
show_diff() {
  local status=0
  "$@" || status=$?
  [ "$status" -le 1 ] || { echo "error: '$*' failed (exit $status)" >&2; exit "$status"; }
}

live_diff() { # $1 = environment
  local rendered
  rendered=$(mktemp)
  render "$1" >"$rendered"
  echo "### kubectl diff of what Argo CD deploys for $1 (against $(kubectl config current-context 2>/dev/null || echo 'the current context'))"
  show_diff kubectl diff -f "$rendered" </dev/null
  rm -f "$rendered"
}

case ${1:-} in
  -h|--help)
    [ $# -eq 1 ] || { usage >&2; exit 2; }
    usage ;;
  --diff)
    [ $# -le 2 ] || { usage >&2; exit 2; }
    if [ $# -eq 2 ]; then
      is_environment "$2" || { echo "error: unknown environment '$2'" >&2; usage >&2; exit 2; }
    fi
    require_kubectl
    if [ $# -eq 1 ]; then
      for env in dev prod; do
        is_environment "$env" || { echo "error: overlays/$env is missing" >&2; exit 1; }
      done
      dev_yaml=$(mktemp) prod_yaml=$(mktemp)
      trap 'rm -f "$dev_yaml" "$prod_yaml"' EXIT
      render dev >"$dev_yaml"
      render prod >"$prod_yaml"
      echo "### dev vs prod (diff -u overlays/dev overlays/prod, rendered)"
      show_diff diff -u --label overlays/dev --label overlays/prod "$dev_yaml" "$prod_yaml"
    fi
    if cluster_reachable; then
      if [ $# -eq 2 ]; then live_diff "$2"; else for env in dev prod; do live_diff "$env"; done; fi
    elif [ $# -eq 2 ]; then
      echo "error: no Kubernetes cluster reachable from the current kubectl context: cannot diff overlays/$2 against it" >&2
      exit 1
    else
      echo "note: no Kubernetes cluster reachable from the current kubectl context; skipped the live diff" >&2
    fi ;;
  -*)
    echo "error: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  "")
    usage >&2; exit 2 ;;
  *)
    [ $# -eq 1 ] || { usage >&2; exit 2; }
    is_environment "$1" || { echo "error: unknown environment '$1'" >&2; usage >&2; exit 2; }
    require_kubectl
    render "$1" ;;
esac
