#!/usr/bin/env bash
# Static checks over the repository's own files (git-tracked and new, never target/ or node_modules/).
# Usage: scripts/lib/lint.sh shell|yaml
set -euo pipefail
cd "$(dirname "$0")/../.."

need() { command -v "$1" >/dev/null 2>&1 || { echo "error: '$1' not found; install it (Debian: apt-get install $2)" >&2; exit 1; }; }
files() { git ls-files --cached --others --exclude-standard -- "$@" | while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done; }

case ${1:-} in
  shell)
    need shellcheck shellcheck
    mapfile -t sh < <({ files '*.sh' .ci/run mvnw; } | grep -v '^mvnw$' | sort -u)
    shellcheck -x "${sh[@]}"
    echo "shellcheck: ${#sh[@]} files clean" ;;
  yaml)
    need yamllint yamllint
    # Helm templates are Go templates, not YAML: helm lint and the chart tests (policy/) check what they render.
    mapfile -t ym < <(files '*.yaml' '*.yml' | grep -v -e '/testdata/' -e '/fixtures/invalid' -e '^charts/[^/]*/templates/')
    yamllint -s -c .yamllint.yaml "${ym[@]}"
    echo "yamllint: ${#ym[@]} files clean" ;;
  *) echo "usage: scripts/lib/lint.sh shell|yaml" >&2; exit 2 ;;
esac
