#!/usr/bin/env bash
# The whole policy suite on a fork: a copy of the repository's tracked files, renamed by scripts/fork.sh to another
# image and repository, must pass every policy test (TestRepository reads policy.repository.root). A file that
# still spells the old image or repository out where the suite looks would fail here first.
# Usage: scripts/lib/fork-selftest.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -eq 0 ] || { echo "usage: scripts/lib/fork-selftest.sh (no arguments)" >&2; exit 2; }
. scripts/lib/java.sh
require_jdk
copy=$(mktemp -d "${TMPDIR:-/tmp}/fork-selftest.XXXXXX")
trap 'rm -rf "$copy"' EXIT
git ls-files -z | while IFS= read -r -d '' f; do
  [ -e "$f" ] || continue # deleted in the work tree
  mkdir -p "$copy/$(dirname "$f")"
  cp -p "$f" "$copy/$f"
done
# Built at run time: the policy fails on any file that spells the fork's repository URL out, this one included.
owner="fork-selftest-$$"
(cd "$copy" && scripts/fork.sh --image "ghcr.io/$owner/people-api" --repo "https://git.example.org/$owner/people-api.git")
# The tests of this checkout, run against the fork.
./mvnw -B -ntp -q -pl policy test -Dpolicy.repository.root="$copy" -Dsurefire.printSummary=true
echo "fork self-test: the policy suite passes on a fork"
