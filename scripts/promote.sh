#!/usr/bin/env bash
# Promotes an image between environments by digest: copies the digest that overlays/SOURCE runs into
# overlays/TARGET (or pins a given IMAGE@sha256:... there, as CI does for dev after each build), re-renders,
# runs the manifest policy and shows the diff. The Helm chart's values file of TARGET
# (charts/users-api/values-TARGET.yaml) gets the same digest in the same change: the chart's equivalence test
# holds it equal to the overlay. For dev that is the whole promotion (a git change that CI commits). prod runs
# releases: the change is committed as a release and prod's Application is moved to it
# (scripts/lib/release.sh record), so a change to base/ reaches prod only through this script.
# Usage: scripts/promote.sh [--dry-run] SOURCE TARGET      (see usage below)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/environments.sh

usage() {
  cat <<USAGE
usage: scripts/promote.sh [--dry-run] SOURCE TARGET
  SOURCE     an environment (its pinned image digest is copied), or an image by digest,
             NAME@sha256:<64 hex digits> (CI pins each new build into dev this way)
  TARGET     the environment whose overlay gets the digest
  --dry-run  show the change and the rendered diff; write nothing, run no policy
environments: $(environments | tr '\n' ' ')
The edit is 'kustomize edit set image NAME@DIGEST' when kustomize is installed, else the same edit
made here (kubectl has no 'edit'); either way the result is rendered and checked before it is kept.
charts/users-api/values-TARGET.yaml, when present, gets image.digest in the same change.
USAGE
}

die() { echo "error: $*" >&2; exit 1; }

need() { # command, how to get it
  command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"
}

# The one images entry of an overlay: its name (the image the overlay pins).
image_name_of() { # $1 = kustomization file
  local names
  names=$(awk '
    /^images:[[:space:]]*$/ { inside = 1; next }
    inside && /^[^[:space:]#-]/ { inside = 0 }
    inside && match($0, /^[[:space:]]*(- )?name:[[:space:]]*/) { v = substr($0, RLENGTH + 1); sub(/[[:space:]]+#.*$/, "", v); print v }
  ' "$1")
  [ -n "$names" ] || die "$1 has no images: entry to pin"
  [ "$(printf '%s\n' "$names" | wc -l)" -eq 1 ] ||
    die "$1 has several images: entries ($(printf '%s' "$names" | tr '\n' ' ')); promote one by hand"
  printf '%s\n' "$names"
}

# The digest an environment runs for an image, from its rendered manifests.
digest_of_environment() { # $1 = environment, $2 = image name
  local rendered digests
  rendered=$(kubectl kustomize "overlays/$1") || die "overlays/$1 does not render"
  digests=$(printf '%s\n' "$rendered" | grep -oE "image: \"?$(escape_ere "$2")(:[^@\" ]+)?@sha256:[0-9a-f]{64}" |
    grep -oE 'sha256:[0-9a-f]{64}' | sort -u || true)
  if [ -z "$digests" ]; then
    local by_tag
    by_tag=$(printf '%s\n' "$rendered" | grep -oE "image: \"?$(escape_ere "$2")[^\" ]*" | head -n 1 | sed 's/^image: "\{0,1\}//')
    die "overlays/$1 runs ${by_tag:-no $2 image}, not a digest: only digests are promoted (CI pins one into dev after each green build)"
  fi
  [ "$(printf '%s\n' "$digests" | wc -l)" -eq 1 ] || die "overlays/$1 runs several digests of $2: $(printf '%s' "$digests" | tr '\n' ' ')"
  printf '%s\n' "$digests"
}

# The chart's values file of an environment: image.digest replaces image.tag/image.digest, and image.repository
# must be the image the overlay pins (the chart and the overlay deploy the same image).
set_digest_in_values() { # $1 = values file, $2 = image name, $3 = digest
  awk -v image="$2" -v digest="$3" '
    function value(line) { sub(/^[[:space:]]*[A-Za-z]+:[[:space:]]*/, "", line); sub(/[[:space:]]+#.*$/, "", line); gsub(/"/, "", line); return line }
    /^image:[[:space:]]*$/ { print; inside = 1; next }
    inside && /^[^[:space:]#]/ { inside = 0 }
    inside && /^[[:space:]]+(tag|digest):/ { next }
    inside && /^[[:space:]]+repository:/ {
      print; found = 1
      if (value($0) != image) { print "image.repository is " value($0) ", the overlay pins " image > "/dev/stderr"; bad = 1 }
      indent = $0; sub(/[^[:space:]].*$/, "", indent)
      print indent "digest: " digest
      next
    }
    { print }
    END {
      if (!found) { print "no image.repository to pin" > "/dev/stderr"; exit 3 }
      if (bad) exit 3
    }
  ' "$1"
}

escape_ere() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'; }

# Our own 'kustomize edit set image NAME@DIGEST': rewrites the one images entry named NAME to
# name (+ newName if it had one) + digest, dropping newTag. Refuses entries it does not understand.
set_digest_in_file() { # $1 = kustomization file, $2 = image name, $3 = digest
  awk -v image="$2" -v digest="$3" '
    function value(line) { sub(/^[[:space:]]*(- )?[A-Za-z]+:[[:space:]]*/, "", line); sub(/[[:space:]]+#.*$/, "", line); return line }
    function flush(   i, has_name, newname, line) {
      if (n == 0) return
      has_name = 0
      for (i = 1; i <= n; i++) if (item[i] ~ /^[[:space:]]*(- )?name:/ && value(item[i]) == image) has_name = 1
      if (!has_name) { for (i = 1; i <= n; i++) print item[i]; n = 0; return }
      matched++
      newname = ""
      for (i = 1; i <= n; i++) {
        line = item[i]
        if (line ~ /^[[:space:]]*#/) { print line; continue }
        if (line ~ /^[[:space:]]*(- )?(name|newTag|digest):/) continue
        if (line ~ /^[[:space:]]*(- )?newName:/) { newname = value(line); continue }
        bad = line
      }
      print dash "- name: " image
      if (newname != "") print dash "  newName: " newname
      print dash "  digest: " digest
      n = 0
    }
    /^images:[[:space:]]*$/ { print; inside = 1; next }
    inside && /^[^[:space:]#-]/ { flush(); inside = 0 }
    inside && /^[[:space:]]*$/ { flush(); print; next }
    inside && /^[[:space:]]*- / { flush(); dash = $0; sub(/- .*$/, "", dash); item[++n] = $0; next }
    inside && n > 0 { item[++n] = $0; next }
    { print }
    END {
      if (inside) flush()
      if (bad != "") { print "unexpected field in the images entry of " image ": " bad > "/dev/stderr"; exit 3 }
      if (matched != 1) { print "expected one images entry named " image ", found " matched + 0 > "/dev/stderr"; exit 3 }
    }
  ' "$1"
}

dry_run=0
args=()
for arg in "$@"; do
  case $arg in
    -h|--help) usage; exit 0 ;;
    --dry-run) dry_run=1 ;;
    -*) echo "error: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
    *) args+=("$arg") ;;
  esac
done
[ ${#args[@]} -eq 2 ] || { usage >&2; exit 2; }
source_arg=${args[0]} target=${args[1]}

is_environment "$target" || { echo "error: unknown environment '$target'" >&2; usage >&2; exit 2; }
if [[ $source_arg == *@sha256:* ]]; then
  [[ $source_arg =~ ^[a-z0-9./_-]+(:[0-9]+)?[a-z0-9./_-]*@sha256:[0-9a-f]{64}$ ]] ||
    { echo "error: '$source_arg' is not NAME@sha256:<64 lower-case hex digits>" >&2; usage >&2; exit 2; }
else
  is_environment "$source_arg" || { echo "error: unknown environment '$source_arg'" >&2; usage >&2; exit 2; }
  [ "$source_arg" != "$target" ] || { echo "error: SOURCE and TARGET are both '$target'" >&2; usage >&2; exit 2; }
fi

need kubectl "install kubectl 1.27 or newer (it renders the overlays with 'kubectl kustomize')"
target_file="overlays/$target/kustomization.yaml"
image=$(image_name_of "$target_file")
if [[ $source_arg == *@sha256:* ]]; then
  [ "${source_arg%@sha256:*}" = "$image" ] ||
    die "$target_file pins $image, not ${source_arg%@sha256:*} (a fork renames the image in base/ and overlays/)"
  digest=sha256:${source_arg##*@sha256:}
  from="$source_arg"
else
  digest=$(digest_of_environment "$source_arg" "$image")
  from="overlays/$source_arg"
fi

# Edit and render a copy of base/ and overlays/, so nothing is written until the result is known to be good.
work=$(mktemp -d "${TMPDIR:-/tmp}/promote.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R base overlays "$work/"
chart_values="charts/users-api/values-$target.yaml"
[ -f "$chart_values" ] || chart_values=""
before=$(kubectl kustomize "overlays/$target") || die "overlays/$target does not render before the change"
if command -v kustomize >/dev/null 2>&1; then
  editor="kustomize edit set image"
  (cd "$work/overlays/$target" && kustomize edit set image "$image@$digest") || die "kustomize edit set image failed"
else
  editor="promote.sh's own edit (no kustomize installed)"
  set_digest_in_file "$target_file" "$image" "$digest" >"$work/$target_file" || die "cannot edit $target_file by itself; install kustomize"
fi
if [ -n "$chart_values" ]; then
  mkdir -p "$work/$(dirname "$chart_values")"
  set_digest_in_values "$chart_values" "$image" "$digest" >"$work/$chart_values" ||
    die "cannot pin the digest in $chart_values (it must deploy the overlay's image $image)"
fi
after=$(kubectl kustomize "$work/overlays/$target") || die "overlays/$target does not render after the change"
grep -qE "image: \"?$(escape_ere "$image")(:[^@\" ]+)?@$digest\"?\$" <<<"$after" ||
  die "after the edit overlays/$target does not run $image@$digest; nothing was written"

if cmp -s "$target_file" "$work/$target_file" && { [ -z "$chart_values" ] || cmp -s "$chart_values" "$work/$chart_values"; }; then
  echo "overlays/$target already runs $image@$digest; nothing to do"
  exit 0
fi

echo "promote $image@$digest from $from to overlays/$target ($editor)"
echo "### $target_file"
diff -u --label "a/$target_file" --label "b/$target_file" "$target_file" "$work/$target_file" || true
if [ -n "$chart_values" ]; then
  echo "### $chart_values"
  diff -u --label "a/$chart_values" --label "b/$chart_values" "$chart_values" "$work/$chart_values" || true
fi
echo "### rendered overlays/$target"
diff -u --label "before" --label "after" <(printf '%s\n' "$before") <(printf '%s\n' "$after") || true

release=$(scripts/lib/release.sh revision "$target")
if [ "$dry_run" = 1 ]; then
  [ -z "$release" ] || echo "then: commit it as a release of $target and move $target's targetRevision to it (scripts/lib/release.sh record $target; $target runs ${release/none/no release yet} now)"
  echo "dry run: nothing written"
  exit 0
fi

restore() {
  cp "$work/original.yaml" "$target_file"
  [ -z "$chart_values" ] || cp "$work/original-values.yaml" "$chart_values"
}
cp "$target_file" "$work/original.yaml"
cp "$work/$target_file" "$target_file"
if [ -n "$chart_values" ]; then
  cp "$chart_values" "$work/original-values.yaml"
  cp "$work/$chart_values" "$chart_values"
fi
echo "==> policy checks (./mvnw -pl policy test: every kustomization, the gitops rules, the chart's equivalence)"
# shellcheck source=scripts/lib/java.sh
. scripts/lib/java.sh
require_jdk
if ! ./mvnw -B -ntp -q -pl policy test -Dtest='RepositoryManifestsTest,GitopsTreeTest,OverlaysContractTest,HelmChartEquivalenceTest' -Dsurefire.printSummary=true; then
  restore
  die "the policy rejects the promoted overlays/$target (see above); $target_file${chart_values:+ and $chart_values} are unchanged"
fi
if [ -n "$release" ]; then
  # A release environment runs a pinned commit: record this change as one and move the pin (two commits).
  scripts/lib/release.sh record "$target"
else
  echo "promoted: $target_file${chart_values:+ and $chart_values} now pin $image@$digest. Review and commit; Argo CD syncs overlays/$target."
fi
