#!/usr/bin/env bash
# Makes this repository a fork's own: rewrites the service image's name (its definition in base/kustomization.yaml
# and every place that pins it: the overlays' images entries, the Helm chart's values files, the admission policy's
# glob) and the repository
# Argo CD deploys from (gitops/repository/repository.yaml, from which the Applications, AppProjects, runbook links
# and the signing identity are derived). Prints what it changed; writes nothing with --dry-run.
# Usage: scripts/fork.sh [--dry-run] --image REGISTRY/OWNER/NAME --repo URL
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<USAGE
usage: scripts/fork.sh [--dry-run] --image REGISTRY/OWNER/NAME --repo URL
  --image    the image CI pushes, without tag or digest, e.g. ghcr.io/acme/users-api (lower case)
  --repo     the git URL Argo CD clones, e.g. https://github.com/acme/users-api.git
  --dry-run  show the changes; write nothing
now: image $(scripts/lib/image-name.sh 2>/dev/null || echo '?'), repository $(current_repo 2>/dev/null || echo '?')
USAGE
}
die() { echo "error: $*" >&2; exit 1; }
current_repo() { sed -n 's/^[[:space:]]*url:[[:space:]]*//p' gitops/repository/repository.yaml | head -n 1; }

dry_run=0 image="" repo=""
while [ $# -gt 0 ]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --dry-run) dry_run=1 ;;
    --image|--repo)
      if [ $# -lt 2 ] || [ -z "$2" ]; then echo "error: $1 needs a value" >&2; usage >&2; exit 2; fi
      if [ "$1" = --image ]; then image=$2; else repo=$2; fi
      shift ;;
    *) echo "error: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$image" ] || [ -z "$repo" ]; then echo "error: both --image and --repo are needed" >&2; usage >&2; exit 2; fi
[[ $image =~ ^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+$ ]] ||
  { echo "error: --image '$image' is not REGISTRY/OWNER/NAME in lower case, without tag or digest" >&2; usage >&2; exit 2; }
[[ $repo =~ ^(https://[^[:space:]]+|git@[^[:space:]]+:[^[:space:]]+)$ ]] ||
  { echo "error: --repo '$repo' is not an https:// or git@ URL" >&2; usage >&2; exit 2; }

old_image=$(scripts/lib/image-name.sh)
old_repo=$(current_repo)
[ -n "$old_repo" ] || die "gitops/repository/repository.yaml has no url"

# Every file that pins the image by name; fixtures and tests name their own images and are left alone.
mapfile -t image_files < <(grep -rlF --include='*.yaml' -- "$old_image" base overlays charts gitops 2>/dev/null | sort)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
changed=0
for f in "${image_files[@]}" gitops/repository/repository.yaml; do
  mkdir -p "$work/$(dirname "$f")"
  # Whole names only: the image followed by a tag, a digest, a glob's *, a quote, space or end of line.
  sed -E "s#$(printf '%s' "$old_image" | sed 's/[.]/\\./g')([:@*\"' ]|\$)#$image\\1#g" "$f" >"$work/$f"
  if [ "$f" = gitops/repository/repository.yaml ]; then
    sed -i "s#^\\([[:space:]]*url:[[:space:]]*\\).*#\\1$repo#" "$work/$f"
  fi
  if ! cmp -s "$f" "$work/$f"; then
    changed=1
    diff -u --label "a/$f" --label "b/$f" "$f" "$work/$f" || true
  fi
done
[ "$changed" = 1 ] || { echo "already forked: image $image, repository $repo"; exit 0; }
if [ "$dry_run" = 1 ]; then
  echo "dry run: nothing written"
  exit 0
fi
for f in "${image_files[@]}" gitops/repository/repository.yaml; do cp "$work/$f" "$f"; done
[ "$(scripts/lib/image-name.sh)" = "$image" ] || die "base/kustomization.yaml does not name $image after the edit"
echo "forked: image $old_image -> $image, repository $old_repo -> $repo"
echo "next: scripts/test.sh, commit, push; CI pushes $image and pins it into overlays/dev; then scripts/bootstrap.sh"
