# shellcheck shell=bash
# Sourced by the scripts: finds a JDK >= 21 and exports JAVA_HOME, or exits with a clear message.
# Order: $JAVA_HOME, the java on PATH, then the usual install locations (newest first).

users_api_min_java=21

java_feature_version() { # $1 = path to a java binary; prints the feature version (17, 21, 25...)
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

jdk_ok() { # $1 = candidate JAVA_HOME; a JDK (javac and jlink too, not just a JRE) of the right version
  local home=$1 v
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  v=$(java_feature_version "$home/bin/java")
  [ -n "$v" ] && [ "$v" -ge "$users_api_min_java" ]
}

find_jdk() {
  local candidates=() c
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if c=$(command -v java 2>/dev/null); then
    c=$(readlink -f "$c"); candidates+=("${c%/bin/java}")
  fi
  # Newest first, so a machine with several JDKs builds with the newest one.
  local installed=()
  for c in /usr/lib/jvm/*/ /opt/java/*/ /opt/jdk*/ "$HOME"/.sdkman/candidates/java/*/ \
    /Library/Java/JavaVirtualMachines/*/Contents/Home/; do
    [ -d "$c" ] && installed+=("${c%/}")
  done
  [ ${#installed[@]} -eq 0 ] ||
    while IFS= read -r c; do candidates+=("$c"); done < <(printf '%s\n' "${installed[@]}" | sort -rV)
  for c in "${candidates[@]}"; do
    if jdk_ok "$c"; then printf '%s\n' "$c"; return 0; fi
  done
  return 1
}

require_jdk() {
  local found
  if ! found=$(find_jdk); then
    {
      echo "error: no JDK $users_api_min_java or newer found."
      echo "  looked at: \$JAVA_HOME (${JAVA_HOME:-unset}), the java on PATH, /usr/lib/jvm/*, /opt/java/*, ~/.sdkman"
      echo "  install one (e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21/25) or set JAVA_HOME to it."
    } >&2
    exit 1
  fi
  if [ -n "${JAVA_HOME:-}" ] && [ "$found" != "$JAVA_HOME" ]; then
    echo "note: JAVA_HOME=$JAVA_HOME is not a JDK >= $users_api_min_java; using $found" >&2
  fi
  export JAVA_HOME=$found
  export PATH="$JAVA_HOME/bin:$PATH"
}
