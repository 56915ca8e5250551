-- GET /api/users: PostgresUserStore.SELECT_PAGE, bound with the page the service answered (-D limit= -D offset=).
WITH total AS (SELECT count(*) AS n FROM users)
SELECT total.n, page.id, page.name, page.email, page.created_at
FROM total LEFT JOIN LATERAL (
    SELECT id, name, email, created_at, seq FROM users ORDER BY seq LIMIT :limit OFFSET :offset) page ON true
ORDER BY page.seq;
