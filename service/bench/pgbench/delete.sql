-- DELETE /api/users/{id}: PostgresUserStore.DELETE of rows stored beforehand, each once: client c deletes ids
-- :base + c * 10000000 + 1, 2, 3... (-D base= -D n=0), the uuid made from the number as in find.sql.
\set n :n + 1
\set id :base + :client_id * 10000000 + :n
DELETE FROM users WHERE id = lpad(to_hex(:id::bigint), 32, '0')::uuid;
