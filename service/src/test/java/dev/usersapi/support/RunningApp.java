package dev.usersapi.support;

import dev.usersapi.UsersApi;
import dev.usersapi.config.DatabaseSettings;
import dev.usersapi.config.Settings;
import io.helidon.webserver.WebServer;
import java.time.Duration;
import java.util.Optional;

/**
 * The application on a started server, built exactly as {@code Main} builds it (not through Helidon's test
 * extension, which merges the listener configuration a second time and so changes how connections are
 * accepted). Closing stops the server and closes the store.
 */
public final class RunningApp implements AutoCloseable {
    private final UsersApi app;
    private final WebServer server;

    private RunningApp(UsersApi app) {
        this.app = app;
        this.server = WebServer.builder().update(app::configure).build().start();
    }

    /** Started, not yet ready: readiness is the test's to declare ({@code app().lifecycle().ready()}). */
    public static RunningApp start(Settings settings) {
        return new RunningApp(TestApps.app(settings));
    }

    /** On the PostgreSQL store, started once its schema is migrated. */
    public static RunningApp startOn(DatabaseSettings database) {
        return new RunningApp(TestApps.appOn(database));
    }

    /** On a PostgreSQL store whose server never answers (a closed port): every store call is a 503. */
    public static RunningApp startUnavailable() {
        Settings settings = TestApps.settings();
        return start(settings.withDatabase(Optional.of(TestPostgres.unreachable(1, Duration.ofMillis(250)))));
    }

    public UsersApi app() {
        return app;
    }

    public WebServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public int adminPort() {
        return server.port(UsersApi.ADMIN_SOCKET);
    }

    public RawHttp http() {
        return new RawHttp(port());
    }

    public RawHttp admin() {
        return new RawHttp(adminPort());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            app.store().close();
        }
    }
}
