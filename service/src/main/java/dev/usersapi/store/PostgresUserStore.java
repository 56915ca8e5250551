package dev.usersapi.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.usersapi.config.DatabaseSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users in PostgreSQL, through a fixed-size HikariCP pool; plain JDBC, no ORM.
 *
 * <p>Every call is bounded: waiting for a connection by the acquisition timeout, each statement by the
 * server-side statement timeout, and the socket a little later still. A failure that means "the database is
 * unavailable" becomes {@link StoreUnavailableException} (503 + Retry-After), never a 500 or a hang.
 * The schema is migrated in the background; until the first success every call is unavailable.
 */
public final class PostgresUserStore implements UserStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresUserStore.class);
    /** What clients are told to wait; the pool reconnects within about this long once the database is back. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    /** How often the cached users_api_users count is corrected by a count(*), at most. */
    static final Duration COUNT_REFRESH = Duration.ofSeconds(15);

    private static final String EMAIL_INDEX = "users_email_lower_key";

    private static final String INSERT = "INSERT INTO users (id, name, email, created_at) VALUES (?, ?, ?, ?)";
    private static final String SELECT_ONE = "SELECT id, name, email, created_at FROM users WHERE id = ?";
    /** One statement, one snapshot: the total always matches the page, even past the last row. */
    private static final String SELECT_PAGE = """
            WITH total AS (SELECT count(*) AS n FROM users)
            SELECT total.n, page.id, page.name, page.email, page.created_at
            FROM total LEFT JOIN LATERAL (
                SELECT id, name, email, created_at, seq FROM users ORDER BY seq LIMIT ? OFFSET ?) page ON true
            ORDER BY page.seq""";

    private static final String DELETE = "DELETE FROM users WHERE id = ?";
    private static final String COUNT = "SELECT count(*) FROM users";

    private final HikariDataSource pool;
    private final HikariPoolMXBean poolStats;
    private final DatabaseMetrics metrics;
    private final SchemaMigration migration;
    private final ScheduledExecutorService background;
    private final Clock clock;
    /** users_api_users without a count(*) per scrape: kept by our own writes, corrected periodically. */
    private final AtomicLong cachedCount = new AtomicLong();
    /** Set while the database is unreachable: since when and why; null when the last call reached it. */
    private final AtomicReference<Outage> outage = new AtomicReference<>();

    private record Outage(Instant since, String reason) {}

    @FunctionalInterface
    private interface SqlCall<T> {
        T apply(Connection connection) throws SQLException;
    }

    private PostgresUserStore(DatabaseSettings settings, Clock clock) {
        this.clock = clock;
        this.pool = new HikariDataSource(poolConfig(settings));
        this.poolStats = pool.getHikariPoolMXBean();
        this.metrics = new DatabaseMetrics(poolStats, settings.poolSize());
        this.background = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "users-db-background");
            thread.setDaemon(true);
            return thread;
        });
        // Migrations get their own connections without the statement timeout: a long migration is legitimate.
        this.migration = new SchemaMigration(
                dataSource(settings, Duration.ZERO, Duration.ofMinutes(10)), background, metrics, this::afterMigration);
    }

    /** Opens the pool (without waiting for the database) and starts migrating in the background. */
    public static PostgresUserStore start(DatabaseSettings settings, Clock clock) {
        PostgresUserStore store = new PostgresUserStore(settings, clock);
        LOG.info(
                "users are stored in PostgreSQL at {} as {} (pool of {})",
                settings.url(),
                settings.user(),
                settings.poolSize());
        store.migration.start();
        return store;
    }

    private static HikariConfig poolConfig(DatabaseSettings settings) {
        Duration socketTimeout = settings.statementTimeout().plusSeconds(2);
        HikariConfig config = new HikariConfig();
        config.setPoolName("users-db");
        config.setDataSource(dataSource(settings, settings.statementTimeout(), socketTimeout));
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(settings.poolSize());
        config.setConnectionTimeout(settings.acquireTimeout().toMillis());
        config.setValidationTimeout(Math.min(1_000, settings.acquireTimeout().toMillis()));
        // Start without the database: the pool keeps trying in the background, requests get 503 meanwhile.
        config.setInitializationFailTimeout(-1);
        // Recycle connections so a rotated password and a moved primary are picked up without a restart.
        config.setMaxLifetime(Duration.ofMinutes(15).toMillis());
        config.setKeepaliveTime(Duration.ofMinutes(2).toMillis());
        return config;
    }

    private static PasswordFileDataSource dataSource(
            DatabaseSettings settings, Duration statementTimeout, Duration socketTimeout) {
        PGSimpleDataSource driver = new PGSimpleDataSource();
        driver.setURL(settings.url());
        driver.setApplicationName("users-api");
        driver.setConnectTimeout(5);
        driver.setLoginTimeout(5);
        driver.setSocketTimeout((int) Math.max(0, socketTimeout.toSeconds()));
        driver.setTcpKeepAlive(true);
        driver.setOptions("-c statement_timeout=" + statementTimeout.toMillis());
        return new PasswordFileDataSource(driver, settings.user(), settings.passwordFile());
    }

    @Override
    public User create(NewUser newUser) {
        User user = new User(
                UUID.randomUUID(),
                newUser.name(),
                newUser.email(),
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        return call("create", true, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setObject(1, user.id());
                insert.setString(2, user.name());
                insert.setString(3, user.email());
                insert.setObject(4, OffsetDateTime.ofInstant(user.createdAt(), ZoneOffset.UTC));
                insert.executeUpdate();
            } catch (PSQLException e) {
                ServerErrorMessage server = e.getServerErrorMessage();
                if (SqlFailures.UNIQUE_VIOLATION.equals(e.getSQLState())
                        && server != null
                        && EMAIL_INDEX.equals(server.getConstraint())) {
                    throw new DuplicateEmailException(newUser.email());
                }
                throw e;
            }
            cachedCount.incrementAndGet();
            return user;
        });
    }

    @Override
    public Optional<User> find(UUID id) {
        return call("find", true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(SELECT_ONE)) {
                select.setObject(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(user(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Page list(int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        return call("list", true, connection -> {
            try (PreparedStatement select = connection.prepareStatement(SELECT_PAGE)) {
                select.setInt(1, limit);
                select.setInt(2, offset);
                try (ResultSet rs = select.executeQuery()) {
                    List<User> items = new ArrayList<>(Math.min(limit, 128));
                    long total = 0;
                    while (rs.next()) {
                        total = rs.getLong(1);
                        if (rs.getObject(2) != null) {
                            items.add(user(rs));
                        }
                    }
                    cachedCount.set(total);
                    return new Page(List.copyOf(items), total);
                }
            }
        });
    }

    @Override
    public boolean delete(UUID id) {
        return call("delete", true, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
                delete.setObject(1, id);
                boolean deleted = delete.executeUpdate() == 1;
                if (deleted) {
                    cachedCount.decrementAndGet();
                }
                return deleted;
            }
        });
    }

    /**
     * The number of users as last seen by this pod: exact after its own writes and lists, corrected by a
     * count(*) at most every {@link #COUNT_REFRESH}, so a scrape never costs a table scan.
     */
    @Override
    public long count() {
        return Math.max(0, cachedCount.get());
    }

    @Override
    public StoreHealth health() {
        if (!migration.done()) {
            return StoreHealth.down("postgresql " + migration.status());
        }
        String pool = "pool " + poolStats.getActiveConnections() + " active, " + poolStats.getIdleConnections()
                + " idle, " + poolStats.getThreadsAwaitingConnection() + " pending";
        Outage current = outage.get();
        if (current != null) {
            // Still UP: every pod would leave the Service at once, and clients would get the gateway's bare 503.
            return StoreHealth.up("postgresql unreachable since " + current.since() + " (" + current.reason()
                    + "): answering 503 until it returns; " + pool);
        }
        return StoreHealth.up("postgresql reachable, schema version " + migration.version() + ", " + pool);
    }

    @Override
    public void registerMetrics(PrometheusRegistry registry) {
        metrics.register(registry);
    }

    @Override
    public void close() {
        background.shutdownNow();
        pool.close();
    }

    // The refresh's future is not kept: refreshCount() handles its own failures and close() ends it.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void afterMigration() {
        refreshCount();
        try {
            background.scheduleWithFixedDelay(
                    this::refreshCount, COUNT_REFRESH.toMillis(), COUNT_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // close() ran while the migration finished: nothing left to refresh.
        }
    }

    private void refreshCount() {
        try {
            cachedCount.set(call("count", false, connection -> {
                try (PreparedStatement count = connection.prepareStatement(COUNT);
                        ResultSet rs = count.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }));
        } catch (RuntimeException e) {
            // Unavailable is recorded in the outage state; the next refresh tries again.
            LOG.debug("count refresh failed: {}", e.getMessage());
        }
    }

    /**
     * Runs one operation on a pooled connection, timed, with "database unavailable" failures turned into
     * {@link StoreUnavailableException}; {@code request} says whether a 503 answer results from it.
     */
    private <T> T call(String operation, boolean request, SqlCall<T> body) {
        if (!migration.done()) {
            if (request) {
                metrics.unavailable();
            }
            throw new StoreUnavailableException(
                    "the database is not ready yet (" + migration.status() + ")", RETRY_AFTER, null);
        }
        Outage current = outage.get();
        if (current != null && poolStats.getTotalConnections() == 0) {
            // Known outage and not one connection left: answer at once instead of every request waiting out the
            // acquisition timeout (which would pile requests up). The pool keeps reconnecting in the background;
            // its first new connection lets requests through again.
            if (request) {
                metrics.unavailable();
            }
            throw new StoreUnavailableException(
                    "the database is unreachable since " + current.since() + " (" + current.reason() + ")",
                    RETRY_AFTER,
                    null);
        }
        long started = System.nanoTime();
        try (Connection connection = pool.getConnection()) {
            T result = body.apply(connection);
            reachable();
            return result;
        } catch (SQLException e) {
            if (!SqlFailures.isUnavailable(e)) {
                throw new IllegalStateException(
                        "database operation '" + operation + "' failed with SQLState " + e.getSQLState() + ": "
                                + e.getMessage(),
                        e);
            }
            if (!SqlFailures.isStatementTimeout(e)) {
                // A statement that ran out of time met a slow database, not an absent one.
                unreachable(e);
            }
            if (request) {
                metrics.unavailable();
            }
            throw new StoreUnavailableException(
                    "the database is unavailable: " + SchemaMigration.rootMessage(e), RETRY_AFTER, e);
        } finally {
            metrics.observe(operation, started);
        }
    }

    private void reachable() {
        // Read before writing: an unconditional getAndSet wrote the shared field on every query of every thread.
        if (outage.get() == null) {
            return;
        }
        Outage ended = outage.getAndSet(null);
        if (ended != null) {
            LOG.info(
                    "database reachable again after {} ms",
                    Duration.between(ended.since(), clock.instant()).toMillis());
        }
    }

    private void unreachable(SQLException e) {
        String reason = SchemaMigration.rootMessage(e);
        if (outage.compareAndSet(null, new Outage(clock.instant(), reason))) {
            LOG.warn("database unavailable, answering 503 until it returns: {} (SQLState {})", reason, e.getSQLState());
        }
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("email"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
