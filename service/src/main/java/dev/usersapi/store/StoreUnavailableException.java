package dev.usersapi.store;

import java.time.Duration;

/**
 * The store cannot serve now but is expected back by itself (database restarting, failing over, not yet
 * migrated, pool exhausted): the caller should answer 503 with {@code Retry-After}, never 500.
 */
public final class StoreUnavailableException extends RuntimeException {
    private final Duration retryAfter;

    public StoreUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** A hint for the client's next attempt, whole seconds, at least one. */
    public long retryAfterSeconds() {
        return Math.max(1, retryAfter.toSeconds());
    }
}
