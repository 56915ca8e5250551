package dev.usersapi.abuse;

import static dev.usersapi.support.TestTokens.WRITER;
import static dev.usersapi.support.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.usersapi.UsersApi;
import dev.usersapi.config.ConnectionLimits;
import dev.usersapi.support.HttpResult;
import dev.usersapi.support.RawConnection;
import dev.usersapi.support.RawHttp;
import dev.usersapi.support.RunningApp;
import dev.usersapi.support.TestApps;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Hostile HTTP/1.1 over plain sockets (issue #15): smuggling and framing variants, parser-level errors, slow
 * clients, pipelining and Connection: close. Every rejected request must get a 4xx problem, the connection must
 * be closed, nothing sent after the rejected request may run (a smuggled POST creates no user), and the service
 * must still serve afterwards. Short limits keep the timeout cases quick.
 * <p>
 * The server is built exactly as Main builds it ({@link RunningApp}), so connections are accepted as in production
 * (the very behaviour under test).
 */
class HttpAbuseTest {
    static final ConnectionLimits LIMITS =
            new ConnectionLimits(16, Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(1), 4096);
    private static final Duration PROMPTLY = Duration.ofMillis(1500);
    private static final String HOST = "Host: 127.0.0.1\r\n";
    private static final String AUTH = bearer(WRITER) + "\r\n";
    private static final String JSON = "Content-Type: application/json\r\n";
    /** A complete, valid request to create a user: if it runs, a user exists that must not. */
    private static final String SMUGGLED = "POST /api/users HTTP/1.1\r\n" + HOST + AUTH + JSON
            + "Content-Length: 43\r\n\r\n{\"name\":\"Smuggled\",\"email\":\"s@example.org\"}";

    private static RunningApp running;
    private static UsersApi app;
    private static int port;
    private static RawHttp http;
    private static RawHttp admin;

    /** Every ERROR line logged while the suite runs: a hostile client must never cause one. */
    private static final ListAppender<ILoggingEvent> ERRORS = new ListAppender<>();

    @BeforeAll
    static void start() {
        ERRORS.addFilter(new ch.qos.logback.core.filter.Filter<>() {
            @Override
            public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent event) {
                return event.getLevel().isGreaterOrEqual(Level.ERROR)
                        ? ch.qos.logback.core.spi.FilterReply.NEUTRAL
                        : ch.qos.logback.core.spi.FilterReply.DENY;
            }
        });
        ERRORS.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(ERRORS);
        running = RunningApp.start(TestApps.settings().withConnectionLimits(LIMITS));
        app = running.app();
        app.lifecycle().ready();
        port = running.port();
        http = running.http();
        admin = running.admin();
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(ERRORS);
        running.close();
    }

    @AfterEach
    void nothingSmuggledAndStillHealthy() {
        assertThat(app.store().count())
                .as("no request after a rejected one ran")
                .isZero();
        assertThat(ERRORS.list).as("nothing logged at ERROR").isEmpty();
        assertThat(http.get("/api/users").status()).isEqualTo(200);
        assertThat(admin.get("/health/ready").status()).isEqualTo(200);
        // 505 is the answer to HTTP/1.0; every other 5xx would be a server fault
        assertThat(admin.get("/metrics").text())
                .as("no server error was counted")
                .doesNotContainPattern("http_request_duration_seconds_count\\{[^}]*status=\"50[0-4]");
    }

    record Case(String name, String request, int status) {
        @Override
        public String toString() {
            return status + " " + name;
        }
    }

    static Stream<Case> rejectedAndClosed() {
        String post = "POST /api/users HTTP/1.1\r\n" + HOST + AUTH + JSON;
        String body = "{\"name\":\"Framed\",\"email\":\"f@example.org\"}";
        return Stream.of(
                new Case(
                        "CL.CL: two Content-Length",
                        post + "Content-Length: 0\r\nContent-Length: " + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED,
                        400),
                new Case(
                        "CL.CL: one header, two values",
                        post + "Content-Length: 0, " + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED,
                        400),
                new Case(
                        "CL.TE",
                        post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                new Case(
                        "TE.CL",
                        post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                new Case(
                        "obfuscated TE: xchunked",
                        post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                new Case(
                        "obfuscated TE: space before colon",
                        post + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                new Case(
                        "obfuscated TE: chunked twice",
                        post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                new Case(
                        "obfuscated TE: gzip, chunked",
                        post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                new Case(
                        "obfuscated TE: two headers",
                        post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n" + "0\r\n\r\n" + SMUGGLED,
                        400),
                new Case("negative Content-Length", post + "Content-Length: -1\r\n\r\n" + body + SMUGGLED, 400),
                new Case(
                        "overflowing Content-Length",
                        post + "Content-Length: 99999999999999999999\r\n\r\n" + body,
                        400),
                new Case("signed Content-Length", post + "Content-Length: +43\r\n\r\n" + body + SMUGGLED, 400),
                new Case("bare LF line endings", "GET /api/users HTTP/1.1\n" + "Host: 127.0.0.1\n\n" + SMUGGLED, 400),
                new Case(
                        "bare LF inside headers",
                        "GET /api/users HTTP/1.1\r\nHost: 127.0.0.1\nX-A: b\r\n\r\n" + SMUGGLED,
                        400),
                new Case(
                        "header folding",
                        "GET /api/users HTTP/1.1\r\n" + HOST + "X-Folded: a\r\n b\r\n\r\n" + SMUGGLED,
                        400),
                new Case(
                        "broken chunk size",
                        post + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n" + body + "\r\n0\r\n\r\n" + SMUGGLED,
                        400),
                new Case("invalid method token", "G=T /api/users HTTP/1.1\r\n" + HOST + "\r\n" + SMUGGLED, 400),
                new Case("HTTP/1.0", "GET /api/users HTTP/1.0\r\n" + HOST + "\r\n" + SMUGGLED, 505),
                new Case(
                        "HTTP/2.0 in an HTTP/1 prologue",
                        "GET /api/users HTTP/2.0\r\n" + HOST + "\r\n" + SMUGGLED,
                        400),
                new Case(
                        "oversized headers",
                        "GET /api/users HTTP/1.1\r\n" + HOST + "X-Big: " + "a".repeat(8000) + "\r\n\r\n" + SMUGGLED,
                        431),
                new Case(
                        "oversized request line",
                        "GET /api/users?q=" + "a".repeat(5000) + " HTTP/1.1\r\n" + HOST + "\r\n" + SMUGGLED,
                        414),
                new Case("two Host headers", "GET /api/users HTTP/1.1\r\n" + HOST + HOST + "\r\n" + SMUGGLED, 400));
    }

    @ParameterizedTest
    @MethodSource
    void rejectedAndClosed(Case c) {
        try (RawConnection connection = RawConnection.open(port)) {
            HttpResult response = connection.send(c.request()).response();
            assertThat(response.status()).as(response.toString()).isEqualTo(c.status());
            assertThat(response.header("Content-Type")).contains("application/problem+json");
            assertThat(response.json().path("status").asInt()).isEqualTo(c.status());
            assertThat(response.header("Connection")).contains("close");
            assertThat(connection.closedWithin(PROMPTLY))
                    .as("connection closed after the rejection")
                    .isTrue();
        }
    }

    @Test
    void connectionCloseFromTheClientClosesTheSocket() {
        try (RawConnection connection = RawConnection.open(port)) {
            HttpResult response = connection
                    .send("GET /api/users HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n")
                    .response();
            assertThat(response.status()).isEqualTo(200);
            assertThat(connection.closedWithin(PROMPTLY)).isTrue();
        }
    }

    @Test
    void keepAliveStaysOpenAndServesPipelinedRequestsInOrder() {
        try (RawConnection connection = RawConnection.open(port)) {
            connection.send(
                    "GET /api/users HTTP/1.1\r\n" + HOST + "\r\n" + "GET /nowhere HTTP/1.1\r\n" + HOST + "\r\n");
            assertThat(connection.response().status()).isEqualTo(200);
            assertThat(connection.response().status()).isEqualTo(404);
            assertThat(connection.closedWithin(Duration.ofMillis(300)))
                    .as("keep-alive by default")
                    .isFalse();
        }
    }

    @Test
    void shortBodyEndedByTheClientIsA400AtOnce() {
        try (RawConnection connection = RawConnection.open(port)) {
            long start = System.nanoTime();
            HttpResult response = connection
                    .send("POST /api/users HTTP/1.1\r\n" + HOST + AUTH + JSON + "Content-Length: 50\r\n\r\n{\"name\":")
                    .endOfInput()
                    .response();
            assertThat(response.status()).as(response.toString()).isEqualTo(400);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
            assertThat(connection.closedWithin(PROMPTLY)).isTrue();
        }
    }

    @Test
    void slowBodyIsCutOffAfterTheBodyTimeout() {
        try (RawConnection connection = RawConnection.open(port)) {
            connection.send("POST /api/users HTTP/1.1\r\n" + HOST + AUTH + JSON + "Content-Length: 50\r\n\r\n{\"na");
            assertThat(connection.closedWithin(LIMITS.bodyTimeout().plusSeconds(2)))
                    .as("closed once the body timeout passed")
                    .isTrue();
        }
    }

    @Test
    void slowHeadersAreCutOffAfterTheHeaderTimeout() throws InterruptedException {
        try (RawConnection connection = RawConnection.open(port)) {
            connection.send("GET /api/users HTTP/1.1\r\n");
            long start = System.nanoTime();
            boolean closed = false;
            // One header line every 300 ms: never idle, never done.
            for (int i = 0; i < 20 && !closed; i++) {
                try {
                    connection.send("X-Slow-" + i + ": a\r\n");
                } catch (java.io.UncheckedIOException reset) {
                    closed = true;
                    break;
                }
                closed = connection.closedWithin(Duration.ofMillis(300));
            }
            assertThat(closed).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(LIMITS.headerTimeout().plusSeconds(2));
        }
    }

    @Test
    void idleConnectionIsClosedAfterTheIdleTimeout() {
        try (RawConnection connection = RawConnection.open(port)) {
            assertThat(connection.closedWithin(LIMITS.idleTimeout().plusSeconds(2)))
                    .isTrue();
        }
    }

    @Test
    void headIsServedWhereverGetIs() {
        for (String path : List.of("/", "/api/users")) {
            HttpResult get = http.get(path);
            try (RawConnection connection = RawConnection.open(port)) {
                connection.send("HEAD " + path + " HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n");
                HttpResult head = connection.headResponse();
                assertThat(connection.closedWithin(PROMPTLY))
                        .as("no body bytes, then the close")
                        .isTrue();
                assertThat(head.status()).as(path).isEqualTo(200);
                assertThat(head.header("Content-Length")).contains(Integer.toString(get.body().length));
            }
        }
    }

    @Test
    void jsonErrorsNameNoLibraryInternals() {
        for (String body : List.of(
                "{\"name\":NaN,\"email\":\"a@b.co\"}", "{\"a\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}")) {
            HttpResult response = http.post("/api/users", body, JSON.strip(), bearer(WRITER));
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().path("detail").asText())
                    .doesNotContainIgnoringCase("jackson")
                    .doesNotContain("JsonReadFeature")
                    .doesNotContain("StreamReadConstraints")
                    .doesNotContain("ALLOW_")
                    .doesNotContain("()");
        }
    }

    @Test
    void inventedMethodsAndPathsShareAFewSeries() {
        for (int i = 0; i < 200; i++) {
            String method = "M" + Integer.toString(i, 36).toUpperCase(java.util.Locale.ROOT) + "X";
            try (RawConnection connection = RawConnection.open(port)) {
                connection.send(method + " /invented/" + i + " HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n");
                assertThat(connection.response().status()).isEqualTo(404);
            }
            try (RawConnection connection = RawConnection.open(port)) {
                connection.send(method + " /api/users HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n");
                assertThat(connection.response().status()).isEqualTo(405);
            }
        }
        List<String> series = admin.get("/metrics")
                .text()
                .lines()
                .filter(l -> l.startsWith("http_request_duration_seconds_count{"))
                .toList();
        assertThat(series)
                .anyMatch(l -> l.contains("method=\"other\"") && l.contains("route=\"unmatched\""))
                .noneMatch(l -> l.contains("invented") || l.contains("method=\"M"));
        // everything this suite can produce: a handful of methods x a few routes x the statuses above
        assertThat(series).hasSizeLessThan(40);
    }

    @Test
    void parserRejectionsAreCountedLikeAnyRequest() {
        try (RawConnection connection = RawConnection.open(port)) {
            assertThat(connection
                            .send("GET /api/users HTTP/1.0\r\n" + HOST + "\r\n")
                            .response()
                            .status())
                    .isEqualTo(505);
        }
        assertThat(admin.get("/metrics").text())
                .containsPattern(
                        "http_request_duration_seconds_count\\{method=\"GET\",route=\"unmatched\",status=\"505\"} [1-9]");
    }

    @Test
    void anUnreadBodyDoesNotLeaveABodyTimeoutOnAnIdleKeepAliveConnection() {
        try (RawConnection connection = RawConnection.open(port)) {
            // no token: 401 before the handler reads the body
            String body = "{\"name\":\"Unread\",\"email\":\"u@example.org\"}";
            connection.send("POST /api/users HTTP/1.1\r\n" + HOST + JSON + "Content-Length: " + body.length()
                    + "\r\n\r\n" + body);
            assertThat(connection.response().status()).isEqualTo(401);
            assertThat(connection.closedWithin(LIMITS.bodyTimeout().plusSeconds(1)))
                    .as("an idle keep-alive connection is not a slow body")
                    .isFalse();
            connection.send("GET /api/users HTTP/1.1\r\n" + HOST + "\r\n");
            assertThat(connection.response().status()).isEqualTo(200);
        }
    }
}
