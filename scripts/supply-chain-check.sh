#!/usr/bin/env bash
# Holds the supply-chain settings to what CI relies on, since Trivy and Renovate themselves cannot run here:
#   trivy/gate.yaml    gate = HIGH and CRITICAL, fixable only, exit code 1, ignores from .trivyignore.yaml;
#                      no unknown keys (Trivy silently ignores a misspelled one such as exit_code)
#   trivy/unfixed-critical.yaml  second gate = CRITICAL even when unfixed, exit code 1, same ignores
#   no ./trivy.yaml    Trivy reads it implicitly, which would filter every other Trivy run of CI
#   .trivyignore.yaml  every accepted finding has an id, a statement and an expired_at date still ahead
#   renovate.json      covers Maven, the Maven wrapper, service/Dockerfile and GitHub Actions, pinning digests
#   service/Dockerfile base images are build ARGs with an exact tag
# Each check first proves on scripts/testdata/supply-chain that it rejects a bad file.
#
# Usage: scripts/supply-chain-check.sh

# The check functions are called through a variable (expect_rejects, the final loop).
# shellcheck disable=SC2317
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/usage.sh
case ${1:-} in
  "") ;;
  -h | --help) usage_from_header; exit 0 ;;
  *) echo "error: unknown argument '$1'" >&2; usage_from_header >&2; exit 2 ;;
esac
for tool in jq python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool not found: apt-get install $tool" >&2; exit 1; }
done
python3 -c 'import yaml' 2>/dev/null || { echo "error: PyYAML not found: apt-get install python3-yaml" >&2; exit 1; }
fixtures=scripts/testdata/supply-chain
today=$(date -u +%Y-%m-%d)

yaml_json() { # $1 = YAML file; prints it as JSON (dates as strings)
  python3 -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout, default=str)' "$1"
}

# Runs a jq program ($1) over a JSON document ($2); its output lines are problems. Fails on problems and
# on a document jq cannot read.
problems() { # $1 = jq program, $2 = JSON document, then more jq arguments (--arg NAME VALUE)
  local out program=$1 doc=$2
  shift 2
  out=$(jq -r --arg today "$today" "$@" "$program" <<<"$doc") || { echo "cannot evaluate the file"; return 1; }
  [ -z "$out" ] || { printf '%s\n' "$out"; return 1; }
}

# A Trivy gate config ($1) whose severities must be exactly $2 (sorted, comma-separated) and whose
# vulnerability.ignore-unfixed must be $3; prints problems, returns 1 if any.
check_trivy_gate() {
  local doc
  doc=$(yaml_json "$1") || { echo "not valid YAML"; return 1; }
  # shellcheck disable=SC2016 # $severity and $unfixed are jq variables
  problems '
    def sev: if type == "string" then split(",") else . end | map(ascii_upcase) | sort;
    (keys - ["severity", "exit-code", "ignorefile", "scan", "vulnerability", "timeout", "format", "output",
             "db", "cache", "quiet", "debug", "insecure", "list-all-pkgs", "dependency-tree"]
      | map("unknown key \(.) (Trivy ignores it silently)")[]),
    (if (.severity // [] | sev | join(",")) != $severity then "severity must be exactly \($severity), is \(.severity)" else empty end),
    (if .["exit-code"] != 1 then "exit-code must be 1, is \(.["exit-code"])" else empty end),
    (if (.vulnerability["ignore-unfixed"] // false | tostring) != $unfixed then "vulnerability.ignore-unfixed must be \($unfixed)" else empty end),
    (if .ignorefile != ".trivyignore.yaml" then "ignorefile must be .trivyignore.yaml, is \(.ignorefile)" else empty end)
  ' "$doc" --arg severity "$2" --arg unfixed "$3"
}
check_trivy_config() { check_trivy_gate "$1" CRITICAL,HIGH true; }         # trivy/gate.yaml
check_trivy_unfixed_critical() { check_trivy_gate "$1" CRITICAL false; }    # trivy/unfixed-critical.yaml

check_trivy_ignores() { # $1 = .trivyignore.yaml
  local doc
  doc=$(yaml_json "$1") || { echo "not valid YAML"; return 1; }
  # shellcheck disable=SC2016 # $doc, $section, $id and $today are jq variables
  problems '
    (. // {}) as $doc
    | ($doc | keys - ["vulnerabilities", "misconfigurations", "secrets", "licenses"] | map("unknown section \(.)")[]),
      ($doc | to_entries[] | .key as $section | (.value // [])[] |
        (.id // "(no id)") as $id |
        (if (.id // "") == "" then "\($section): an entry has no id" else empty end),
        (keys - ["id", "paths", "purls", "statement", "expired_at"] | map("\($section) \($id): unknown field \(.)")[]),
        (if ((.statement // "") | length) < 10 then "\($section) \($id): needs a statement saying why it is accepted" else empty end),
        (if ((.expired_at // "") | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$") | not) then "\($section) \($id): needs expired_at (YYYY-MM-DD)"
         elif .expired_at < $today then "\($section) \($id): expired on \(.expired_at); renew it with a new statement or remove it"
         else empty end))
  ' "$doc"
}

check_renovate() { # $1 = renovate.json
  local doc
  doc=$(jq . "$1" 2>&1) || { echo "not valid JSON: $doc"; return 1; }
  problems '
    (["maven", "maven-wrapper", "dockerfile", "github-actions"] - (.enabledManagers // []) | map("enabledManagers lacks \(.)")[]),
    (["docker:pinDigests", "helpers:pinGitHubActionDigests"] - (.extends // []) | map("extends lacks \(.)")[])
  ' "$doc"
}

check_dockerfile_bases() { # $1 = Dockerfile
  local arg value bad=0
  for arg in JDK_IMAGE RUNTIME_IMAGE; do
    value=$(sed -n "s/^ARG $arg=//p" "$1")
    grep -q "^FROM \${$arg}" "$1" || { echo "no FROM \${$arg}: the base image must come from the build ARG"; bad=1; }
    case $value in
      "") echo "ARG $arg has no default image"; bad=1 ;;
      *:latest | *:latest@*) echo "ARG $arg=$value: a moving tag"; bad=1 ;;
      *:*) ;;
      *) echo "ARG $arg=$value: no tag"; bad=1 ;;
    esac
  done
  return "$bad"
}

failed=0
expect_rejects() { # $1 = check, $2 = fixture
  if "$1" "$2" >/dev/null; then echo "FAIL: $1 accepted the bad fixture $2" >&2; failed=1; fi
}
expect_rejects check_trivy_config "$fixtures/trivy-low-severity.yaml"
expect_rejects check_trivy_config "$fixtures/trivy-misspelled-key.yaml"
expect_rejects check_trivy_config "$fixtures/trivy-reports-unfixed.yaml"
expect_rejects check_trivy_unfixed_critical "$fixtures/trivy-critical-ignores-unfixed.yaml"
expect_rejects check_trivy_unfixed_critical trivy/gate.yaml
expect_rejects check_trivy_ignores "$fixtures/trivyignore-no-statement.yaml"
expect_rejects check_trivy_ignores "$fixtures/trivyignore-expired.yaml"
expect_rejects check_trivy_ignores "$fixtures/trivyignore-no-expiry.yaml"
expect_rejects check_renovate "$fixtures/renovate-no-docker.json"
bad_dockerfile=$(mktemp)
trap 'rm -f "$bad_dockerfile"' EXIT
sed 's/^ARG RUNTIME_IMAGE=.*/ARG RUNTIME_IMAGE=gcr.io\/distroless\/base-nossl-debian13:latest/' service/Dockerfile >"$bad_dockerfile"
expect_rejects check_dockerfile_bases "$bad_dockerfile"
if ! check_trivy_ignores "$fixtures/trivyignore-valid.yaml" >/dev/null; then
  echo "FAIL: check_trivy_ignores rejected the valid fixture" >&2; failed=1
fi

if [ -e trivy.yaml ]; then
  echo "FAIL: ./trivy.yaml exists: Trivy reads it implicitly in every run; gates name their config in trivy/" >&2; failed=1
fi
for pair in "check_trivy_config trivy/gate.yaml" "check_trivy_unfixed_critical trivy/unfixed-critical.yaml" \
  "check_trivy_ignores .trivyignore.yaml" \
  "check_renovate renovate.json" "check_dockerfile_bases service/Dockerfile"; do
  check=${pair% *} file=${pair#* }
  [ -f "$file" ] || { echo "FAIL: $file is missing" >&2; failed=1; continue; }
  if problems=$("$check" "$file"); then echo "ok: $file"; else
    echo "FAIL: $file:" >&2; printf '  - %s\n' "${problems//$'\n'/$'\n'  - }" >&2; failed=1
  fi
done
if [ $failed = 0 ]; then echo "supply-chain settings: all checks passed"; fi
exit $failed
