# shellcheck shell=bash disable=SC2154 # threads, connections, duration, out, work, pg_settings: set by bench.sh
# Sourced by scripts/bench.sh --store postgres: the bench's rows and pgbench, on the throwaway PostgreSQL that
# scripts/lib/postgres.sh started. Needs pg_settings (its KEY=value output) and connects like the service does:
# as the service's role, over TCP on 127.0.0.1, with the password from its file.

pg_setting() { sed -n "s/^$1=//p" <<<"$pg_settings"; }

# pgbench and psql read the connection from the environment, as the service's role.
pg_client_env() {
  PGHOST=$(pg_setting PGHOST)
  PGPORT=$(pg_setting PGPORT)
  PGDATABASE=$(pg_setting DB_NAME)
  PGUSER=$(pg_setting DB_USER)
  PGPASSWORD=$(cat "$(pg_setting DB_PASSWORD_FILE)")
  export PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD
}

pg_sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# The uuid the bench gives the number n (service/bench/ids.lua makes the same in wrk).
pg_bench_id() { echo "lpad(to_hex($1), 32, '0')::uuid"; }

# pg_seed N: an empty table, then N users with ids 1..N (what the service's own POST would store).
pg_seed() {
  pg_sql -c "TRUNCATE users RESTART IDENTITY" \
    -c "INSERT INTO users (id, name, email, created_at)
        SELECT $(pg_bench_id g), 'Seed ' || g, 'seed' || g || '@example.org', now() FROM generate_series(1, $1) g" \
    -c "VACUUM ANALYZE users"
}

# pg_pool BASE SLOTS PER_SLOT: rows for delete runs, slot s owning ids BASE + s * 10000000 + 1..PER_SLOT.
pg_pool() {
  pg_sql -c "INSERT INTO users (id, name, email, created_at)
        SELECT $(pg_bench_id "$1 + s * 10000000 + n"), 'Pool ' || n, 'pool-$1-' || s || '-' || n || '@example.org', now()
        FROM generate_series(0, $2 - 1) s, generate_series(1, $3) n" \
    -c "VACUUM ANALYZE users"
}

# pg_pool_exhausted BASE SLOTS PER_SLOT: how many slots of that pool had all their rows deleted (slots delete in
# order, so a slot is used up when its last row is gone).
pg_pool_exhausted() {
  pg_sql -c "SELECT count(*) FROM generate_series(0, $2 - 1) s
        WHERE NOT EXISTS (SELECT 1 FROM users WHERE id = $(pg_bench_id "$1 + s * 10000000 + $3"))"
}

# pgbench_run OUT SECONDS SCRIPT [pgbench options...]: the service's statement in SCRIPT, prepared, with as many
# clients as wrk has connections and as many threads as wrk. Prints "tps latency_ms transactions failed".
pgbench_run() {
  local out=$1 seconds=$2 script=$3
  shift 3
  pgbench -n -M prepared -c "$connections" -j "$threads" -T "$seconds" -f "$script" "$@" >"$out" 2>&1 ||
    { echo "error: pgbench failed; see $out" >&2; cat "$out" >&2; return 1; }
  awk '/^tps = / {tps=$3} /^latency average = / {lat=$4} /^number of transactions actually processed: / {n=$6}
       /^number of failed transactions: / {failed=$5} END {printf "%s %s %s %d\n", tps, lat, n, failed}' "$out"
}

# One line: the server's version and the settings that shape these figures.
pg_describe() {
  pg_sql -c "SELECT current_setting('server_version') || ': ' || string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
        FROM pg_settings WHERE name IN ('max_connections', 'shared_buffers', 'work_mem', 'effective_cache_size',
        'fsync', 'synchronous_commit', 'wal_level', 'full_page_writes', 'max_wal_size', 'jit')"
}
