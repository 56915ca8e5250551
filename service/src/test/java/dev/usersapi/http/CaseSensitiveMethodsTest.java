package dev.usersapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.support.AppPerClass;
import dev.usersapi.support.HttpResult;
import dev.usersapi.support.RawConnection;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Methods are case-sensitive (RFC 9110 §9.1) although Helidon's parser upper-cases them: over real connections,
 * each closed by the request itself ({@code Connection: close}) so no test waits on a timeout.
 */
class CaseSensitiveMethodsTest {
    private static final String HOST = "Host: 127.0.0.1\r\n";

    @RegisterExtension
    static final AppPerClass APP = AppPerClass.inMemory();

    @BeforeEach
    void ready() {
        APP.app().lifecycle().ready();
    }

    private static HttpResult sendAndClose(int port, String method, String path) {
        try (RawConnection connection = RawConnection.open(port)) {
            return connection
                    .send(method + " " + path + " HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n")
                    .response();
        }
    }

    @Test
    void aMethodNotSentInUpperCaseIsNotImplemented() {
        for (String method : List.of("get", "Get", "gET", "post", "delete")) {
            HttpResult response = sendAndClose(APP.port(), method, "/api/users");
            assertThat(response.status()).as(method + ": " + response).isEqualTo(501);
            assertThat(response.header("Content-Type")).contains("application/problem+json");
            assertThat(response.json().path("type").asText()).isEqualTo(Problem.TYPE_PREFIX + "method-not-implemented");
            assertThat(response.json().path("detail").asText()).contains("'" + method + "'");
        }
    }

    @Test
    void upperCaseMethodsAreServed() {
        assertThat(sendAndClose(APP.port(), "GET", "/api/users").status()).isEqualTo(200);
        assertThat(sendAndClose(APP.port(), "GET", "/").status()).isEqualTo(200);
    }

    @Test
    void aHeadLikeMethodIsAnsweredWithoutABody() {
        try (RawConnection connection = RawConnection.open(APP.port())) {
            HttpResult response = connection
                    .send("hEAD /api/users HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n")
                    .headResponse();
            assertThat(response.status()).isEqualTo(501);
        }
    }

    @Test
    void eachPipelinedRequestLineIsJudgedOnItsOwn() {
        try (RawConnection connection = RawConnection.open(APP.port())) {
            connection.send("GET /api/users HTTP/1.1\r\n" + HOST + "\r\n" + "get /api/users HTTP/1.1\r\n" + HOST
                    + "\r\n" + "GET /api/users HTTP/1.1\r\n" + HOST + "\r\n" + "Get /api/users HTTP/1.1\r\n" + HOST
                    + "Connection: close\r\n\r\n");
            assertThat(connection.response().status()).isEqualTo(200);
            assertThat(connection.response().status()).isEqualTo(501);
            assertThat(connection.response().status())
                    .as("an upper-case request after a rejected one")
                    .isEqualTo(200);
            assertThat(connection.response().status()).isEqualTo(501);
        }
    }

    @Test
    void theAdminSocketServesAMisCasedMethodAsHelidonParsedIt() {
        // Only probes and Prometheus talk to it; it has no problem responses of its own.
        assertThat(sendAndClose(APP.running().adminPort(), "get", "/health/live")
                        .status())
                .isEqualTo(200);
        assertThat(sendAndClose(APP.running().adminPort(), "GET", "/health/live")
                        .status())
                .isEqualTo(200);
    }
}
