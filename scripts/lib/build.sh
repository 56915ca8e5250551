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

# The flags service/Dockerfile's training stage gives the JVM that writes the AOT cache (such as leaving out the
# method profiles), one per line, less the cache's path and the pod size, which the caller sets: so a cache trained
# outside the image is trained as the image's is (service/src/test/.../ImageJvm.trainingFlags reads the same).
image_training_flags() {
  awk '/^FROM app AS training/ {in_stage = 1; next} /^FROM / {in_stage = 0}
    in_stage { while (match($0, /"-XX:[^"]+"/)) { print substr($0, RSTART + 1, RLENGTH - 2); $0 = substr($0, RSTART + RLENGTH) } }' \
    service/Dockerfile | grep -v -e '^-XX:AOTCacheOutput=' -e '^-XX:MaxRAM=' || true
}
