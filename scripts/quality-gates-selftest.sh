#!/usr/bin/env bash
# Proves that each quality gate of `./mvnw verify` bites: for each gate it copies the repository to a
# temporary folder, seeds one defect, runs only that gate's Maven goal offline, and passes only if the
# build fails with the gate's own message (a failure for any other reason is a failed self-test).
#
#   errorprone  a string compared with ==          compile (Error Prone's ReferenceEquality, under -Werror)
#   spotbugs    a null dereference                  spotbugs:check
#   archunit    a store class that imports the api  ArchitectureTest
#   jacoco      a branch no test runs               the service's unit tests, then the coverage check
#   formatter   a badly formatted file              spotless:check
#
# Usage: scripts/quality-gates-selftest.sh [GATE...]    (no argument: every gate)
# Needs the Maven repository a previous `./mvnw verify` filled: it runs offline (the formatter too, once
# its check is on in verify; see README "Quality gates"). Only the seeded file is format-checked.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/java.sh

GATES=(errorprone spotbugs archunit jacoco formatter)
usage() { local IFS="|"; echo "usage: scripts/quality-gates-selftest.sh [${GATES[*]}]..."; }

selected=()
for arg in "$@"; do
  case $arg in
    -h|--help) usage; exit 0 ;;
    *) if [[ " ${GATES[*]} " == *" $arg "* ]]; then selected+=("$arg"); else usage >&2; exit 2; fi ;;
  esac
done
[ ${#selected[@]} -gt 0 ] || selected=("${GATES[@]}")
require_jdk

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
service=src/main/java/dev/usersapi

copy_repository() { # $1 = destination; the working tree's own files (tracked and new), never target/
  mkdir -p "$1"
  git ls-files --cached --others --exclude-standard -z |
    while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf - | tar -xf - -C "$1"
}

seed() { # $1 = gate, $2 = copy; writes the defect
  local copy=$2
  case $1 in
    errorprone) cat > "$copy/service/$service/api/SeededStringEquality.java" <<'EOF'
package dev.usersapi.api;

final class SeededStringEquality {
    static boolean isAdmin(String role) {
        return role == "admin";
    }
}
EOF
      ;;
    spotbugs) cat > "$copy/service/$service/api/SeededNullDereference.java" <<'EOF'
package dev.usersapi.api;

final class SeededNullDereference {
    static int length(String value) {
        String trimmed = value.isEmpty() ? null : value.strip();
        return trimmed.length();
    }
}
EOF
      ;;
    archunit) cat > "$copy/service/$service/store/SeededUpwardImport.java" <<'EOF'
package dev.usersapi.store;

import dev.usersapi.api.UsersService;

final class SeededUpwardImport {
    static UsersService keep(UsersService service) {
        return service;
    }
}
EOF
      ;;
    jacoco) # Enough untested branches to take the service below its coverage floor.
      { echo 'package dev.usersapi.api;'; echo; echo 'final class SeededUntestedBranches {'
        for i in $(seq 1 60); do
          printf '    static int branch%d(int v) {\n        if (v > %d) {\n            return v - %d;\n        }\n        return v + %d;\n    }\n' \
            "$i" "$i" "$i" "$i"
        done
        echo '}'; } > "$copy/service/$service/api/SeededUntestedBranches.java"
      ;;
    formatter) cat > "$copy/service/$service/api/SeededBadFormat.java" <<'EOF'
package dev.usersapi.api;
final class SeededBadFormat { static int   twice(int v){return v*2;} }
EOF
      ;;
  esac
}

goal() { # $1 = gate; prints the Maven arguments that run only that gate
  case $1 in
    errorprone) echo "-o -pl service compile" ;;
    spotbugs) echo "-o -pl service compile com.github.spotbugs:spotbugs-maven-plugin:check" ;;
    archunit) echo "-o -pl service test -Djacoco.skip=true -Dtest=ArchitectureTest" ;;
    jacoco) echo "-o -pl service test org.jacoco:jacoco-maven-plugin:report org.jacoco:jacoco-maven-plugin:check@jacoco-check" ;;
    formatter) echo "-o -pl service com.diffplug.spotless:spotless-maven-plugin:check -DspotlessFiles=.*/SeededBadFormat[.]java" ;;
  esac
}

expected() { # $1 = gate; prints the message (an extended regular expression) the failure must carry
  case $1 in
    errorprone) echo 'SeededStringEquality.java.*\[(StringEquality|ReferenceEquality)\]' ;;
    spotbugs) echo 'NP_[A-Z_]+.*SeededNullDereference|SeededNullDereference.*NP_[A-Z_]+' ;;
    archunit) echo 'SeededUpwardImport.*dev\.usersapi\.api\.UsersService' ;;
    jacoco) echo 'Coverage checks have not been met|(lines|branches) covered ratio is' ;;
    formatter) echo 'SeededBadFormat.java' ;;
  esac
}

failed=()
for gate in "${selected[@]}"; do
  copy="$work/$gate"
  copy_repository "$copy"
  seed "$gate" "$copy"
  log="$work/$gate.log"
  start=$SECONDS
  read -ra args <<< "$(goal "$gate")"
  if (cd "$copy" && ./mvnw -B -ntp "${args[@]}") > "$log" 2>&1; then
    echo "FAIL $gate: the build passed with the seeded defect ($((SECONDS - start)) s); log tail:"
    tail -n 20 "$log"; failed+=("$gate")
  elif grep -Eq "$(expected "$gate")" "$log"; then
    echo "ok   $gate: the build failed with: $(grep -Em1 "$(expected "$gate")" "$log" | cut -c1-160) ($((SECONDS - start)) s)"
  else
    echo "FAIL $gate: the build failed, but not with /$(expected "$gate")/; log tail:"
    tail -n 30 "$log"; failed+=("$gate")
  fi
  rm -rf "$copy"
done
[ ${#failed[@]} -eq 0 ] || { echo "quality-gates-selftest: failed: ${failed[*]}"; exit 1; }
echo "quality-gates-selftest: ${#selected[@]} gates each fail the build on their seeded defect"
