package dev.usersapi.store;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema to the latest version in the background, retrying with capped exponential backoff until
 * it succeeds, so a pod whose database is not there yet waits (readiness DOWN) instead of crash-looping.
 * Flyway takes a PostgreSQL advisory lock for the run, so pods starting together against an empty database
 * apply each migration exactly once.
 */
final class SchemaMigration {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    static final Duration MAX_RETRY = Duration.ofSeconds(10);

    private final Flyway flyway;
    private final ScheduledExecutorService executor;
    private final DatabaseMetrics metrics;
    private final Runnable onMigrated;
    private volatile boolean done;
    private volatile String version = "none";
    private volatile String status = "migrating: first attempt under way";
    private int failures;

    SchemaMigration(
            DataSource dataSource, ScheduledExecutorService executor, DatabaseMetrics metrics, Runnable onMigrated) {
        this.flyway = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .failOnMissingLocations(true)
                .load();
        this.executor = executor;
        this.metrics = metrics;
        this.onMigrated = onMigrated;
    }

    void start() {
        executor.execute(this::attempt);
    }

    boolean done() {
        return done;
    }

    String version() {
        return version;
    }

    /** What readiness reports until the first success. */
    String status() {
        return status;
    }

    // The retry's future is not kept: attempt() handles its own failures and shutdownNow() ends a pending one.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void attempt() {
        long started = System.nanoTime();
        try {
            MigrateResult result = flyway.migrate();
            // Observed before done is published: whoever sees the store ready also sees the migration counted.
            metrics.observe("migrate", started);
            // From the result, not flyway.info(): each info() scans the classpath and reads the history table
            // again, and this ran it twice on every start against an up-to-date schema.
            String reached =
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
            version = reached != null ? reached : "none";
            done = true;
            LOG.info(
                    "database schema at version {} ({} migration(s) applied by this pod after {} failed attempt(s))",
                    version,
                    result.migrationsExecuted,
                    failures);
            onMigrated.run();
        } catch (RuntimeException e) {
            metrics.observe("migrate", started);
            failures++;
            Duration delay = backoff(failures);
            status = "migrating: attempt " + failures + " failed (" + rootMessage(e) + "); next in " + delay.toMillis()
                    + " ms";
            LOG.warn(
                    "database schema migration attempt {} failed, retrying in {} ms: {}",
                    failures,
                    delay.toMillis(),
                    rootMessage(e));
            if (!executor.isShutdown()) {
                executor.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    static Duration backoff(int failures) {
        long millis = FIRST_RETRY.toMillis() << Math.min(failures - 1, 16);
        return Duration.ofMillis(Math.min(millis, MAX_RETRY.toMillis()));
    }

    // Identity, not equality: a throwable that is its own cause ends the walk.
    @SuppressWarnings("ReferenceEquality")
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
