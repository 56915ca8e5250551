#!/usr/bin/env bash
# Runs every test and check of the repository, in order, and ends with a one-line summary.
# Every step runs even when an earlier one failed, so one run shows every problem.
# Usage: scripts/test.sh [--list | STEP...]    (no argument: all steps)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. scripts/lib/java.sh

# name|command — each command runs from the repository root and fails with a message that says why.
STEPS=(
  "shellcheck|scripts/lib/lint.sh shell"
  "yamllint|scripts/lib/lint.sh yaml"
  "maven-verify|./mvnw -B -ntp verify" # the reactor: service, policy (manifests), scripts-test (the scripts of scripts/)
  "quality-gates-selftest|scripts/quality-gates-selftest.sh"
  "monitoring-rules|monitoring/tests/run.sh rules"
  "monitoring-dashboards|monitoring/tests/run.sh dashboards"
  "monitoring-alertmanager|monitoring/tests/run.sh alertmanager"
  "monitoring-contract|monitoring/tests/run.sh contract"
  "monitoring-e2e|monitoring/tests/run.sh e2e"
  "supply-chain|scripts/supply-chain-check.sh"
  "fork|scripts/lib/fork-selftest.sh"
  "image|scripts/image-test.sh"
  "actionlint|.github/tools/actionlint/run.sh"
)

usage() {
  echo "usage: scripts/test.sh [--list | STEP...]"
  echo "steps:"; for s in "${STEPS[@]}"; do echo "  ${s%%|*}"; done
}

selected=()
for arg in "$@"; do
  case $arg in
    -h|--help) usage; exit 0 ;;
    --list) for s in "${STEPS[@]}"; do echo "${s%%|*}"; done; exit 0 ;;
    -*) usage >&2; exit 2 ;;
    *) found=0
       for s in "${STEPS[@]}"; do [ "${s%%|*}" = "$arg" ] && { selected+=("$s"); found=1; }; done
       [ $found = 1 ] || { echo "unknown step: $arg" >&2; usage >&2; exit 2; } ;;
  esac
done
[ ${#selected[@]} -gt 0 ] || selected=("${STEPS[@]}")

require_jdk
passed=0; failed=0; failures=()
for s in "${selected[@]}"; do
  name=${s%%|*}; cmd=${s#*|}
  echo "==> $name: $cmd"
  start=$SECONDS
  if bash -c "$cmd"; then
    passed=$((passed + 1)); echo "<== $name ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "<== $name FAILED ($((SECONDS - start)) s)"
  fi
done
[ $failed -eq 0 ] || echo "failed steps: ${failures[*]}"
echo "test.sh: $passed passed, $failed failed"
[ $failed -eq 0 ]
