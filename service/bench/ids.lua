-- Loaded by the PostgreSQL bench's wrk scripts. The users that bench stores get ids made from numbers, so wrk
-- and pgbench (whose variables are numbers only) address the same rows: n becomes
-- 00000000-0000-0000-0000-<n in 12 hex digits>, which is lpad(to_hex(n), 32, '0')::uuid in SQL.
function bench_id(n)
  return string.format("00000000-0000-0000-0000-%012x", n)
end
