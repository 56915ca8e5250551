package dev.usersapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.UsersApi;
import dev.usersapi.support.HttpResult;
import dev.usersapi.support.RawConnection;
import dev.usersapi.support.RawHttp;
import dev.usersapi.support.TestApps;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Readiness follows the lifecycle; a server of its own because draining cannot be undone. */
@ServerTest
class DrainingTest {
    private static final String KEEP_ALIVE = "Connection: keep-alive";
    private static UsersApi app;
    private final RawHttp http;
    private final RawHttp admin;
    private final int port;

    DrainingTest(WebServer server) {
        this.port = server.port();
        this.http = new RawHttp(server.port());
        this.admin = new RawHttp(server.port(UsersApi.ADMIN_SOCKET));
    }

    @SetUpServer
    static void setUp(WebServerConfig.Builder server) {
        app = TestApps.app(TestApps.settings());
        app.configure(server);
    }

    @Test
    void startingThenReadyThenDraining() {
        assertThat(admin.get("/health/started").status()).isEqualTo(503);
        assertThat(admin.get("/health/ready").status()).isEqualTo(503);

        app.lifecycle().ready();
        assertThat(admin.get("/health/started").status()).isEqualTo(200);
        assertThat(admin.get("/health/ready").status()).isEqualTo(200);
        assertThat(http.get("/", KEEP_ALIVE).header("Connection")).contains("keep-alive");

        assertThat(app.lifecycle().startDraining()).isTrue();
        assertThat(app.lifecycle().startDraining())
                .as("a second SIGTERM does not restart the drain")
                .isFalse();
        HttpResult ready = admin.get("/health/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("status").asText()).isEqualTo("DOWN");
        assertThat(admin.get("/health/live").status())
                .as("liveness never follows the drain")
                .isEqualTo(200);
        HttpResult served = http.get("/", KEEP_ALIVE);
        assertThat(served.status())
                .as("requests are still served while draining")
                .isEqualTo(200);
        assertThat(served.header("Connection")).contains("close");

        // The announced close really happens: a keep-alive client is let go and reconnects to a pod that stays.
        try (RawConnection connection = RawConnection.open(port)) {
            connection.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            HttpResult response = connection.response();
            assertThat(response.header("Connection")).contains("close");
            assertThat(connection.closedWithin(Duration.ofSeconds(1)))
                    .as("socket closed while draining")
                    .isTrue();
        }
    }
}
