#!/usr/bin/env bash
# A throwaway local PostgreSQL for tests and scripts/run.sh --postgres: one cluster in DIR, listening on
# 127.0.0.1 only, with a login role and a database for the service (password in DIR/password, mode 600).
# Uses Debian's postgresql package (/usr/lib/postgresql/*/bin, or PG_BIN); as root the server runs as the
# postgres user (PostgreSQL refuses to run as root), otherwise as the current user.
#
# Usage: scripts/lib/postgres.sh start|stop|crash|status|destroy DIR
#   start    initdb on first use, start (on a free port, kept for later starts), print the connection
#            settings as KEY=value lines: PGHOST PGPORT DB_NAME DB_USER DB_PASSWORD_FILE JDBC_URL
#   stop     fast shutdown (open sessions are ended, nothing acknowledged is lost)
#   crash    immediate shutdown, no checkpoint: the next start replays the WAL as after a power cut
#   status   exit 0 if the server runs
#   destroy  stop and delete DIR
set -euo pipefail

# shellcheck source=scripts/lib/usage.sh
. "$(dirname "$0")/usage.sh"
# shellcheck source=scripts/lib/token.sh
. "$(dirname "$0")/token.sh"
# shellcheck source=scripts/lib/ports.sh
. "$(dirname "$0")/ports.sh"
usage() { usage_from_header; }
die() { echo "error: $*" >&2; exit 1; }

[ $# -eq 2 ] || { usage >&2; exit 2; }
command=$1
dir=$2
db_name=users
db_user=users_api

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  local found
  found=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$found" ] || [ ! -x "$found/pg_ctl" ]; then
    die "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/pg_ctl); install them: apt-get install postgresql (or set PG_BIN)"
  fi
  echo "$found"
}

# PostgreSQL will not run as root: hand its commands to the postgres system user then.
as_server_user() {
  if [ "$(id -u)" = 0 ]; then
    command -v runuser >/dev/null || die "runuser not found (Debian: util-linux); needed to run PostgreSQL as 'postgres' under root"
    id postgres >/dev/null 2>&1 || die "running as root, but there is no 'postgres' user to run the server as"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() { [ -d "$dir/data" ] && as_server_user "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

init_cluster() {
  mkdir -p "$dir"
  chmod 755 "$dir" # the server user must reach data/ and run/ inside
  mkdir -p "$dir/data" "$dir/run"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir/data" "$dir/run"; fi
  chmod 700 "$dir/data"
  as_server_user "$bin/initdb" -D "$dir/data" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    die "initdb failed; see $dir/initdb.log"
  free_port >"$dir/port" || die "no free TCP port found on 127.0.0.1"
  (umask 077 && new_token >"$dir/password")
}

# A port can still be taken between its choice and the bind: then the server starts again on another one (the new
# port is kept in DIR/port, so later starts and print_settings use it).
start_server() {
  local port attempt
  for attempt in 1 2 3 4 5; do
    port=$(cat "$dir/port")
    if ! port_in_use "$port"; then
      if [ -f "$dir/run/server.log" ]; then : >"$dir/run/server.log"; fi
      # Enough connections for several test pools at once; the socket lives in DIR, never in /var/run.
      as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/run/server.log" -w -t 60 \
        -o "-p $port -k $dir/run -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null && return
      grep -q 'could not bind' "$dir/run/server.log" 2>/dev/null ||
        die "PostgreSQL did not start; see $dir/run/server.log"
    fi
    echo "postgres.sh: port $port is taken; starting on another (attempt $attempt)" >&2
    free_port >"$dir/port" || die "no free TCP port found on 127.0.0.1"
  done
  die "PostgreSQL did not start: 5 ports in a row were taken; see $dir/run/server.log"
}

create_role_and_database() {
  local port
  port=$(cat "$dir/port")
  as_server_user "$bin/psql" -h "$dir/run" -p "$port" -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE $db_user LOGIN CREATEDB PASSWORD '$(cat "$dir/password")'" \
    -c "CREATE DATABASE $db_name OWNER $db_user" >/dev/null
}

print_settings() {
  local port
  port=$(cat "$dir/port")
  printf '%s\n' "PGHOST=127.0.0.1" "PGPORT=$port" "DB_NAME=$db_name" "DB_USER=$db_user" \
    "DB_PASSWORD_FILE=$dir/password" "JDBC_URL=jdbc:postgresql://127.0.0.1:$port/$db_name"
}

bin=$(pg_bin)
case $command in
  start)
    dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
    if [ ! -f "$dir/password" ]; then
      init_cluster
      start_server
      create_role_and_database
    elif ! running; then
      start_server
    fi
    print_settings ;;
  stop) if running; then as_server_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; fi ;;
  crash) if running; then as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null; fi ;;
  status) running ;;
  destroy)
    if running; then as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null; fi
    rm -rf "$dir" ;;
  *) usage >&2; exit 2 ;;
esac
