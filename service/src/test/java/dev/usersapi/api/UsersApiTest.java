package dev.usersapi.api;

import dev.usersapi.UsersApi;
import dev.usersapi.support.TestApps;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

/** {@link UsersApiCases} on the embedded in-memory store. */
@ServerTest
class UsersApiTest extends UsersApiCases {
    private static UsersApi app;

    UsersApiTest(WebServer server) {
        super(server);
    }

    @SetUpServer
    static void setUp(WebServerConfig.Builder server) {
        app = TestApps.app(TestApps.settings());
        app.configure(server);
    }

    @Override
    UsersApi app() {
        return app;
    }
}
