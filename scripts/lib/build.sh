# shellcheck shell=bash
# Sourced by the scripts that run the service: builds the jar when it is missing or older than its sources.
# Needs require_jdk (scripts/lib/java.sh) first.

users_api_jar=service/target/users-api.jar

ensure_service_jar() {
  local stale=""
  if [ -f "$users_api_jar" ]; then
    stale=$(find service/src/main service/pom.xml pom.xml -newer "$users_api_jar" -type f -print -quit 2>/dev/null)
  fi
  if [ ! -f "$users_api_jar" ] || [ -n "$stale" ]; then
    echo "building $users_api_jar ..." >&2
    ./mvnw -B -ntp -q -pl service -am package -DskipTests ||
      { echo "error: the build failed; see the Maven output above" >&2; exit 1; }
  fi
}

# The value of an ENV variable that service/Dockerfile sets (quotes removed), so scripts that run the jar
# outside the image use the image's settings.
image_env() {
  sed -n "s/^[[:space:]]*\(ENV[[:space:]]\+\)\{0,1\}$1=\"\{0,1\}\([^\"\\]*\)\"\{0,1\}.*/\2/p" service/Dockerfile |
    sed 's/[[:space:]]*$//' | head -n 1
}
