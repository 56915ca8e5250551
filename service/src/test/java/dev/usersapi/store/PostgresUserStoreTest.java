package dev.usersapi.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usersapi.config.DatabaseSettings;
import dev.usersapi.support.Await;
import dev.usersapi.support.PostgresExtension;
import dev.usersapi.support.TestPostgres;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** The PostgreSQL store against a real server: a fresh database for the class, a fresh schema per test. */
class PostgresUserStoreTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension(PostgresUserStoreTest.class);

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456789Z"), ZoneOffset.UTC);

    private PostgresUserStore store;

    @BeforeEach
    void open() throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS users, flyway_schema_history");
        }
        store = started(POSTGRES.database().withPoolSize(8));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void createsFindsAndDeletes() {
        User user = store.create(new NewUser("Ada", "Ada@Example.org"));
        // PostgreSQL keeps microseconds: the returned user is exactly what a later read gives back.
        assertThat(user.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
        assertThat(store.find(user.id())).contains(user);
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.delete(user.id())).isTrue();
        assertThat(store.delete(user.id())).isFalse();
        assertThat(store.find(user.id())).isEmpty();
        assertThat(store.find(UUID.randomUUID())).isEmpty();
        assertThat(store.count()).isZero();
    }

    @Test
    void emailsAreUniqueIgnoringCase() {
        store.create(new NewUser("First", "Same@Example.org"));
        assertThatThrownBy(() -> store.create(new NewUser("Second", "same@EXAMPLE.ORG")))
                .isInstanceOf(DuplicateEmailException.class)
                .hasMessageContaining("same@EXAMPLE.ORG");
        assertThat(store.list(0, 10).total()).isEqualTo(1);
    }

    @Test
    void pagesInCreationOrderStably() {
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // Same created_at for all (fixed clock): the order must come from the sequence, not the timestamp.
            created.add(store.create(new NewUser("User " + i, "user" + i + "@example.org"))
                    .id());
        }
        store.delete(created.get(3));
        created.remove(3);
        List<UUID> paged = new ArrayList<>();
        for (int offset = 0; offset < 30; offset += 7) {
            Page page = store.list(offset, 7);
            assertThat(page.total()).isEqualTo(24);
            page.items().forEach(u -> paged.add(u.id()));
        }
        assertThat(paged).containsExactlyElementsOf(created);
        Page beyond = store.list(100, 5);
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.total()).as("total is exact even past the last page").isEqualTo(24);
    }

    @Test
    void racingCreatesOfOneEmailGiveExactlyOneUser() throws Exception {
        int racers = 32;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger duplicates = new AtomicInteger();
        ConcurrentLinkedQueue<User> created = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String email = i % 2 == 0 ? "race@example.org" : "RACE@example.org";
            futures.add(pool.submit(() -> {
                go.await();
                try {
                    created.add(store.create(new NewUser("Racer", email)));
                } catch (DuplicateEmailException e) {
                    duplicates.incrementAndGet();
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(created).hasSize(1);
        assertThat(duplicates).hasValue(racers - 1);
        assertThat(store.list(0, 10).total()).isEqualTo(1);
    }

    @Test
    void theUsersGaugeCostsNoQuery() throws Exception {
        store.create(new NewUser("Counted", "counted@example.org"));
        // A row written by another pod: this pod's count catches up on its next list or refresh, not per scrape.
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO users (id, name, email, created_at) VALUES (gen_random_uuid(), 'Other pod',"
                    + " 'other.pod@example.org', now())");
        }
        assertThat(store.count()).isEqualTo(1);
        store.list(0, 1);
        assertThat(store.count()).isEqualTo(2);
    }

    @Test
    void exposesTheDatabaseMetrics() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        store.registerMetrics(registry);
        store.create(new NewUser("Metered", "metered@example.org"));
        var out = new java.io.ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text)
                .contains("users_api_db_pool_connections{state=\"active\"}")
                .contains("users_api_db_pool_connections{state=\"idle\"}")
                .contains("users_api_db_pool_connections{state=\"pending\"}")
                .contains("users_api_db_pool_max_connections 8.0")
                .contains("users_api_db_query_duration_seconds_count{operation=\"create\"} 1")
                .contains("users_api_db_query_duration_seconds_count{operation=\"migrate\"} 1")
                .contains("users_api_db_unavailable_total 0.0");
    }

    @Test
    void migratingTwiceChangesNothing() throws Exception {
        try (PostgresUserStore second = started(POSTGRES.database())) {
            assertThat(second.health().detail()).contains("schema version 1");
        }
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void anUnreachableDatabaseIsUnavailableWithinTheAcquireTimeout() throws Exception {
        DatabaseSettings nowhere = TestPostgres.unreachable(2, Duration.ofMillis(500));
        try (PostgresUserStore unreachable = PostgresUserStore.start(nowhere, CLOCK)) {
            assertThat(unreachable.health().up())
                    .as("readiness DOWN until the first migration")
                    .isFalse();
            Await.until(
                    "health detail says migrating",
                    Duration.ofSeconds(10),
                    () -> unreachable.health().detail().contains("migrating"),
                    () -> unreachable.health().detail());
            long started = System.nanoTime();
            assertThatThrownBy(() -> unreachable.find(UUID.randomUUID())).isInstanceOf(StoreUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aStatementThatRunsOutOfTimeIsUnavailableNotAnOutage() throws Exception {
        try (PostgresUserStore impatient = started(POSTGRES.database().withStatementTimeout(Duration.ofMillis(200)));
                Connection locker = connect();
                Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            s.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
            long started = System.nanoTime();
            assertThatThrownBy(() -> impatient.find(UUID.randomUUID())).isInstanceOf(StoreUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(impatient.health().detail()).contains("reachable").doesNotContain("unreachable");
            locker.rollback();
        }
    }

    @Test
    void aRotatedPasswordIsReadForTheNextConnection(@TempDir Path dir) throws Exception {
        DatabaseSettings db = POSTGRES.database();
        String original = Files.readString(db.passwordFile()).strip();
        Path file = Files.writeString(dir.resolve("password"), original + "\n");
        PGSimpleDataSource driver = new PGSimpleDataSource();
        driver.setURL(db.url());
        PasswordFileDataSource source = new PasswordFileDataSource(driver, db.user(), file);
        try (Connection c = source.getConnection();
                Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + db.user() + " PASSWORD 'rotated-password'");
        }
        try {
            assertThatThrownBy(source::getConnection)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            Files.writeString(file, "rotated-password");
            try (Connection c = source.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        } finally {
            try (Connection c = source.getConnection();
                    Statement s = c.createStatement()) {
                s.execute("ALTER ROLE " + db.user() + " PASSWORD '" + original + "'");
            }
        }
        Files.delete(file);
        assertThatThrownBy(source::getConnection)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("cannot read the database password file")
                .satisfies(e ->
                        assertThat(SqlFailures.isUnavailable((SQLException) e)).isTrue());
    }

    private static PostgresUserStore started(DatabaseSettings settings) {
        PostgresUserStore store = PostgresUserStore.start(settings, CLOCK);
        Await.until(
                "store up",
                Duration.ofSeconds(30),
                () -> store.health().up(),
                () -> store.health().detail());
        return store;
    }

    private static Connection connect() throws Exception {
        DatabaseSettings db = POSTGRES.database();
        return DriverManager.getConnection(
                db.url(), db.user(), Files.readString(db.passwordFile()).strip());
    }
}
