#!/usr/bin/env bash
# Releases: an environment whose Argo CD Application pins targetRevision in its own file (prod) runs overlays/ENV as
# it is at that commit, the release, and nothing newer from the branch. This script knows where that pin lives.
#   release.sh revision ENV     the commit ENV runs; empty when ENV follows the branch (dev); "none" before its
#                               first release
#   release.sh render ENV       what Argo CD deploys for ENV: overlays/ENV at its release, or at the work tree
#                               when it follows the branch (exit 1 before the first release)
#   release.sh record ENV       commits the change to overlays/ENV (and the chart's values-ENV.yaml) as a release, moves ENV's
#                               targetRevision to it and makes sure its Application is deployed (two commits: the
#                               release and the move; revert the move to roll back)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/environments.sh
. scripts/lib/usage.sh

usage() { usage_from_header >&2; exit 2; }
die() { echo "error: $*" >&2; exit 1; }
[ $# -eq 2 ] || usage
command=$1 env=$2
is_environment "$env" || { echo "error: unknown environment '$env'" >&2; usage; }

# The Application file that deploys overlays/ENV, and whether it pins its own revision.
app_file=$(application_file_of "$env")
[ -n "$app_file" ] || die "no Application under gitops/apps deploys overlays/$env"
pinned=$(sed -n 's/^[[:space:]]*targetRevision:[[:space:]]*\([^[:space:]#]*\).*/\1/p' "$app_file" | head -n 1)
component=$(dirname "${app_file#gitops/apps/}")

revision() { # the release commit, "none" before the first, empty for a branch-following environment
  [ -n "$pinned" ] || return 0
  if [[ $pinned =~ ^[0-9a-f]{40}$ ]]; then echo "$pinned"; else echo none; fi
}

case $command in
  revision)
    revision ;;
  render)
    rev=$(revision)
    if [ -z "$rev" ]; then
      kubectl kustomize "overlays/$env"
    elif [ "$rev" = none ]; then
      die "$env runs no release yet ($app_file): scripts/promote.sh makes the first"
    else
      git cat-file -e "$rev^{commit}" 2>/dev/null || die "$env's release $rev is not in this clone's history (git fetch?)"
      tree=$(mktemp -d)
      trap 'rm -rf "$tree"' EXIT
      git archive "$rev" base overlays | tar -x -C "$tree"
      kubectl kustomize "$tree/overlays/$env"
    fi ;;
  record)
    [ -n "$pinned" ] || die "$env follows the branch ($app_file pins no targetRevision): there is no release to record"
    git diff --cached --quiet || die "the git index has staged changes; commit or unstage them first"
    git diff --quiet -- "overlays/$env/kustomization.yaml" && die "overlays/$env/kustomization.yaml has no change to release"
    digest=$(grep -oE 'sha256:[0-9a-f]{64}' "overlays/$env/kustomization.yaml" | head -n 1)
    # The Helm chart's values of the environment carry the same pin (promote.sh writes both).
    release_files=("overlays/$env/kustomization.yaml")
    [ ! -f "charts/users-api/values-$env.yaml" ] || release_files+=("charts/users-api/values-$env.yaml")
    git commit -q -m "release: users-api ${digest:-(no digest)} for $env" -- "${release_files[@]}"
    release=$(git rev-parse HEAD)
    sed -i "s/^\([[:space:]]*targetRevision:[[:space:]]*\)[^[:space:]#]*/\1$release/" "$app_file"
    if [ "$component" != . ] && ! grep -qE "^[[:space:]]*- ${component}[[:space:]]*$" gitops/apps/kustomization.yaml; then
      # Before ../repository: its replacements must reach the component's Application and project.
      sed -i "s#^\([[:space:]]*\)- \.\./repository[[:space:]]*\$#\1- $component\n&#" gitops/apps/kustomization.yaml
      grep -qE "^[[:space:]]*- ${component}[[:space:]]*$" gitops/apps/kustomization.yaml ||
        die "could not add component $component to gitops/apps/kustomization.yaml"
    fi
    git commit -q -m "$env: run release ${release:0:12}" -m "Roll back: git revert this commit." -- "$app_file" gitops/apps/kustomization.yaml
    echo "release ${release:0:12}: overlays/$env with ${digest:-no digest}; $env now runs it ($(git rev-parse --short HEAD) moved $app_file)"
    echo "push both commits (not squashed: the pin names the release commit); roll back with: git revert $(git rev-parse --short HEAD)" ;;
  *)
    usage ;;
esac
