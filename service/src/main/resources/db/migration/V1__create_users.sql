-- users-api schema, version 1. Flyway applies it once, under its PostgreSQL advisory lock, so pods that
-- start together against an empty database do not race.

CREATE TABLE users (
    id         uuid        PRIMARY KEY,
    -- Creation order for paging: unique and never reused, so LIMIT/OFFSET pages are stable. Not a
    -- timestamp: two rows can share a created_at, a sequence cannot tie.
    seq        bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    name       text        NOT NULL,
    email      text        NOT NULL,
    created_at timestamptz NOT NULL
);

-- Emails are unique ignoring case: two pods racing on the same address get one insert and one 23505.
-- Emails are ASCII (the API refuses others), so lower() is the same under every locale.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
