package dev.usersapi.api;

import dev.usersapi.UsersApi;
import dev.usersapi.support.PostgresExtension;
import dev.usersapi.support.TestApps;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link UsersApiCases} on the PostgreSQL store, a fresh database on a real server. */
@ServerTest
class UsersApiPostgresTest extends UsersApiCases {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension(UsersApiPostgresTest.class);

    private static UsersApi app;

    UsersApiPostgresTest(WebServer server) {
        super(server);
    }

    @SetUpServer
    static void setUp(WebServerConfig.Builder server) {
        app = TestApps.appOn(POSTGRES.database());
        app.configure(server);
    }

    @AfterAll
    static void closeStore() {
        app.store().close();
    }

    @Override
    UsersApi app() {
        return app;
    }
}
