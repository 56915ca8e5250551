-- POST /api/users: PostgresUserStore.INSERT. The service binds a random uuid, the name, a new email and the
-- time; pgbench has no text or uuid variables, so the same values are made in the statement. Each client
-- counts its rows in :n (-D n=0), and :run (-D run=) keeps the emails of separate runs distinct.
\set n :n + 1
INSERT INTO users (id, name, email, created_at)
VALUES (gen_random_uuid(), 'Bench User ' || :n, 'pgbench-' || :run || '-' || :client_id || '-' || :n || '@example.org',
        now());
