package dev.usersapi.support;

import dev.usersapi.config.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One throwaway PostgreSQL server per test JVM, run by scripts/lib/postgres.sh (the same script
 * scripts/run.sh --postgres uses), and a fresh database per caller. Without PostgreSQL installed the tests
 * fail saying how to install it; they never skip.
 */
public final class TestPostgres {
    private static TestPostgres instance;

    private final Path script;
    private final Path dir;
    private final Map<String, String> settings;

    private TestPostgres(Path script, Path dir, Map<String, String> settings) {
        this.script = script;
        this.dir = dir;
        this.settings = settings;
    }

    /** The server of this JVM, started on first use and destroyed when the JVM exits. */
    public static synchronized TestPostgres server() {
        if (instance == null) {
            Path script = Path.of(System.getProperty("postgres.script", "../scripts/lib/postgres.sh"));
            if (!Files.isRegularFile(script)) {
                throw new AssertionError("scripts/lib/postgres.sh not found at " + script.toAbsolutePath());
            }
            try {
                Path dir = Files.createTempDirectory("users-api-pg");
                instance = new TestPostgres(script, dir, parse(run(script, "start", dir)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            TestPostgres started = instance;
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    run(started.script, "destroy", started.dir);
                                } catch (RuntimeException e) {
                                    System.err.println("could not remove the test PostgreSQL in " + started.dir + ": "
                                            + e.getMessage());
                                }
                            },
                            "test-postgres-destroy"));
        }
        return instance;
    }

    /** Drops (ending its sessions) and creates the named database, owned by the service's role. */
    public DatabaseSettings freshDatabase(String name) {
        String db = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), user(), password());
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new AssertionError("cannot create test database " + db + ": " + e.getMessage(), e);
        }
        return new DatabaseSettings(
                jdbcUrl(db), user(), passwordFile(), 4, Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    /**
     * Settings for a PostgreSQL that never answers: a loopback port that was free a moment ago (bound, then
     * closed), so every connection attempt is refused at once. Needs no server.
     */
    public static DatabaseSettings unreachable(int poolSize, Duration acquireTimeout) {
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            Path password = Files.writeString(
                    Files.createTempDirectory("users-api-unreachable").resolve("password"), "unused");
            return new DatabaseSettings(
                    "jdbc:postgresql://127.0.0.1:" + closed.getLocalPort() + "/users",
                    "users_api",
                    password,
                    poolSize,
                    acquireTimeout,
                    Duration.ofSeconds(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment that points a service process at {@code database}. */
    public static Map<String, String> env(DatabaseSettings database) {
        Map<String, String> env = new HashMap<>();
        env.put("USERS_API_DB_URL", database.url());
        env.put("USERS_API_DB_USER", database.user());
        env.put("USERS_API_DB_PASSWORD_FILE", database.passwordFile().toString());
        env.put("USERS_API_DB_POOL_SIZE", Integer.toString(database.poolSize()));
        return env;
    }

    /** Fast shutdown of the server, as an operator's restart or a failover does. */
    public void stop() {
        run(script, "stop", dir);
    }

    /** Immediate shutdown without a checkpoint: the next start recovers from the WAL, as after a crash. */
    public void crash() {
        run(script, "crash", dir);
    }

    /** Starts the server again on the same port and data. */
    public void start() {
        run(script, "start", dir);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + settings.get("PGPORT") + "/" + database;
    }

    public String user() {
        return settings.get("DB_USER");
    }

    public Path passwordFile() {
        return Path.of(settings.get("DB_PASSWORD_FILE"));
    }

    private String password() {
        try {
            return Files.readString(passwordFile()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> parse(String output) {
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (!values.containsKey("PGPORT")) {
            throw new AssertionError("scripts/lib/postgres.sh start printed no settings: " + output);
        }
        return values;
    }

    private static String run(Path script, String command, Path dir) {
        try {
            Process p = new ProcessBuilder("bash", script.toString(), command, dir.toString()).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("scripts/lib/postgres.sh " + command + " did not finish within 90 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("scripts/lib/postgres.sh " + command + " failed (exit " + p.exitValue()
                        + "); a real PostgreSQL is required for these tests (Debian: apt-get install postgresql): "
                        + err.strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
