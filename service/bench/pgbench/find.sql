-- GET /api/users/{id}: PostgresUserStore.SELECT_ONE for one of the :users stored users (ids 1..:users). pgbench
-- variables are numbers, so the uuid the service binds is made from one here (as service/bench/ids.lua does).
\set n random(1, :users)
SELECT id, name, email, created_at FROM users WHERE id = lpad(to_hex(:n::bigint), 32, '0')::uuid;
