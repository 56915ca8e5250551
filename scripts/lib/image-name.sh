#!/usr/bin/env bash
# Prints the service image's name (registry/owner/name, no tag or digest) from its one definition: the newName of
# the images entry users-api in base/kustomization.yaml. CI, the Jenkinsfile and scripts/fork.sh read it here.
# Usage: scripts/lib/image-name.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -eq 0 ] || { echo "usage: scripts/lib/image-name.sh (no arguments)" >&2; exit 2; }
name=$(awk '/^[[:space:]]*- name: users-api[[:space:]]*$/ { entry = 1; next }
            entry && /^[[:space:]]*newName:/ { print $2; exit }
            entry && /^[[:space:]]*- / { entry = 0 }' base/kustomization.yaml)
[ -n "$name" ] || { echo "error: base/kustomization.yaml has no images entry users-api with a newName" >&2; exit 1; }
echo "$name"
