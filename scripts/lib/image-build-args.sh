#!/usr/bin/env bash
# Prints the build arguments of service/Dockerfile's OCI labels, one KEY=VALUE a line, from the one place
# each is kept: VERSION from pom.xml, REVISION and CREATED from git (the commit's time, so one commit gives one
# image), SOURCE from gitops/repository/repository.yaml, LICENSES from pom.xml's <licenses>. Every image build
# uses it: scripts/image-test.sh, .github/workflows/ci.yml and the Jenkinsfile.
# Usage: scripts/lib/image-build-args.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -eq 0 ] || { echo "usage: scripts/lib/image-build-args.sh (no arguments)" >&2; exit 2; }

die() { echo "error: $*" >&2; exit 1; }

version=$(sed -n '/<artifactId>users-api-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q;}' pom.xml)
[ -n "$version" ] || die "cannot read the project version from pom.xml"
licenses=$(sed -n '/<licenses>/,/<\/licenses>/s/.*<name>\(.*\)<\/name>.*/\1/p' pom.xml | paste -sd, - | sed 's/,/ AND /g')
[ -n "$licenses" ] || die "pom.xml names no licence in <licenses>"
repository=$(sed -n 's/^[[:space:]]*url:[[:space:]]*//p' gitops/repository/repository.yaml | head -n 1)
[ -n "$repository" ] || die "gitops/repository/repository.yaml has no url"
revision=$(git rev-parse HEAD 2>/dev/null) || die "not a git checkout: REVISION and CREATED come from the commit"
created=$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ)

echo "VERSION=$version"
echo "REVISION=$revision"
echo "CREATED=$created"
echo "SOURCE=${repository%.git}"
echo "LICENSES=$licenses"
