package dev.usersapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.UsersApi;
import dev.usersapi.support.AppPerClass;
import dev.usersapi.support.HttpResult;
import dev.usersapi.support.RawConnection;
import dev.usersapi.support.RawHttp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Readiness follows the lifecycle; a server of its own because draining cannot be undone. */
class DrainingTest {
    private static final String KEEP_ALIVE = "Connection: keep-alive";

    @RegisterExtension
    static final AppPerClass APP = AppPerClass.inMemory();

    private final UsersApi app = APP.app();
    private final RawHttp http = APP.http();
    private final RawHttp admin = APP.admin();
    private final int port = APP.port();

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
