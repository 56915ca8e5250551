#!/usr/bin/env bash
# Whether a build of COMMIT may be pinned into overlays/ENV: CI's builds can finish out of order, and an older
# build finishing last must not move the environment backwards. The commit a pin was built from is the
# `Built-From:` trailer of the last commit that changed overlays/ENV (CI writes it with every pin).
# Exit 0: pin it (COMMIT is newer than the last pinned build, or nothing was pinned by CI yet).
# Exit 1: do not pin (COMMIT is the last pinned build or an ancestor of it, or the two histories diverged).
# Exit 2: bad usage or an unknown commit.
# Usage: scripts/lib/pin-is-newer.sh ENV COMMIT
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/environments.sh

usage() { echo "usage: scripts/lib/pin-is-newer.sh ENV COMMIT   (environments: $(environments | tr '\n' ' '))" >&2; exit 2; }
[ $# -eq 2 ] || usage
is_environment "$1" || { echo "error: unknown environment '$1'" >&2; usage; }
env=$1
commit=$(git rev-parse --verify --quiet "$2^{commit}") || { echo "error: '$2' is not a commit of this repository" >&2; exit 2; }

last=$(git log -1 --format='%(trailers:key=Built-From,valueonly)' -- "overlays/$env" | head -n 1 | tr -d '[:space:]')
if [ -z "$last" ]; then
  echo "overlays/$env has no pin by CI yet: pin the build of ${commit:0:12}"
  exit 0
fi
last=$(git rev-parse --verify --quiet "$last^{commit}") ||
  { echo "overlays/$env was pinned from ${last:0:12}, which is not in this history: pin the build of ${commit:0:12}"; exit 0; }
if [ "$commit" = "$last" ]; then
  echo "overlays/$env already runs the build of ${commit:0:12}"
  exit 1
fi
if git merge-base --is-ancestor "$last" "$commit"; then
  echo "the build of ${commit:0:12} is newer than overlays/$env's (${last:0:12}): pin it"
  exit 0
fi
if git merge-base --is-ancestor "$commit" "$last"; then
  echo "the build of ${commit:0:12} is older than overlays/$env's (${last:0:12}): not pinned"
else
  echo "the build of ${commit:0:12} is not a descendant of overlays/$env's (${last:0:12}): not pinned"
fi
exit 1
