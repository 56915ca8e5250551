package dev.usersapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.usersapi.BuildInfo;
import dev.usersapi.config.ConnectionLimits;
import dev.usersapi.observe.AccessLog;
import dev.usersapi.observe.Metrics;
import dev.usersapi.observe.SecurityLog;
import dev.usersapi.support.TestJson;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.DirectHandler.TransportRequest;
import io.helidon.http.DirectHandler.TransportResponse;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What a client is told when Helidon's parser refuses its request, decided without a socket: the classification
 * of each kind of refusal (with the messages Helidon 4.5 writes) and the answer, metric and log lines built from
 * it. {@code HttpAbuseTest} proves the same over real connections; this one runs in milliseconds, so the mutation
 * gate can run it against every mutant.
 */
class ParserRejectionsTest {
    private static final ConnectionLimits LIMITS =
            new ConnectionLimits(16, Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(1), 4096);
    private static final TransportRequest EMPTY = request("", "");

    private final ListAppender<ILoggingEvent> access = new ListAppender<>();
    private final ListAppender<ILoggingEvent> security = new ListAppender<>();
    private final Metrics metrics = new Metrics(BuildInfo.load(Instant.now()), () -> 0);
    private final ParserRejections rejections =
            new ParserRejections(LIMITS, Optional.of(metrics), new AccessLog(), new SecurityLog());

    record Request(String protocolVersion, String method, String path, ServerRequestHeaders headers)
            implements TransportRequest {}

    private static TransportRequest request(String method, String path) {
        return new Request("1.1", method, path, ServerRequestHeaders.create());
    }

    @BeforeEach
    void capture() {
        access.start();
        security.start();
        logger("users-api.access").addAppender(access);
        logger("users-api.security").addAppender(security);
    }

    @AfterEach
    void release() {
        logger("users-api.access").detachAppender(access);
        logger("users-api.security").detachAppender(security);
    }

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }

    /** One refusal as Helidon reports it, and what the client must be told. */
    record Case(
            String name,
            TransportRequest request,
            EventType event,
            int defaultStatus,
            String message,
            int status,
            String type,
            String reason) {
        @Override
        public String toString() {
            return status + " " + reason + ": " + name;
        }
    }

    static Stream<Case> classified() {
        TransportRequest get = request("GET", "/api/users");
        return Stream.of(
                new Case(
                        "HTTP/1.0",
                        get,
                        EventType.HTTP_VERSION_NOT_SUPPORTED,
                        505,
                        "",
                        505,
                        "http-version-not-supported",
                        "http_version"),
                new Case(
                        "version first, whatever the message",
                        get,
                        EventType.HTTP_VERSION_NOT_SUPPORTED,
                        400,
                        "Header size exceeded",
                        505,
                        "http-version-not-supported",
                        "http_version"),
                new Case(
                        "request line too long",
                        EMPTY,
                        EventType.BAD_REQUEST,
                        414,
                        "",
                        414,
                        "uri-too-long",
                        "request_line_too_long"),
                new Case(
                        "414 before the message",
                        EMPTY,
                        EventType.BAD_REQUEST,
                        414,
                        "Header size exceeded",
                        414,
                        "uri-too-long",
                        "request_line_too_long"),
                new Case(
                        "headers too large",
                        get,
                        EventType.BAD_REQUEST,
                        400,
                        "Header size exceeded",
                        431,
                        "headers-too-large",
                        "headers_too_large"),
                new Case(
                        "body too large (event)",
                        get,
                        EventType.PAYLOAD_TOO_LARGE,
                        400,
                        "",
                        413,
                        "body-too-large",
                        "body_too_large"),
                new Case(
                        "body too large (status)",
                        get,
                        EventType.OTHER,
                        413,
                        "Maximum decoded entity size exceeded",
                        413,
                        "body-too-large",
                        "body_too_large"),
                new Case(
                        "CL and TE",
                        get,
                        EventType.BAD_REQUEST,
                        400,
                        "Transfer-Encoding and Content-Length headers must not be combined",
                        400,
                        "invalid-framing",
                        "invalid_framing"),
                new Case(
                        "two lengths",
                        get,
                        EventType.BAD_REQUEST,
                        400,
                        "Content-Length header must have exactly one value.",
                        400,
                        "invalid-framing",
                        "invalid_framing"),
                new Case(
                        "'content length' spelled with a space",
                        get,
                        EventType.BAD_REQUEST,
                        400,
                        "Invalid CONTENT LENGTH",
                        400,
                        "invalid-framing",
                        "invalid_framing"),
                new Case(
                        "'transfer encoding' spelled with a space",
                        get,
                        EventType.BAD_REQUEST,
                        400,
                        "Unsupported Transfer Encoding: gzip",
                        400,
                        "invalid-framing",
                        "invalid_framing"),
                new Case(
                        "broken chunk",
                        get,
                        EventType.BAD_REQUEST,
                        400,
                        "Invalid terminating CHUNK",
                        400,
                        "invalid-framing",
                        "invalid_framing"),
                new Case(
                        "framing before a server error",
                        get,
                        EventType.INTERNAL_ERROR,
                        500,
                        "Final Transfer-Encoding for requests must be chunked",
                        400,
                        "invalid-framing",
                        "invalid_framing"),
                new Case(
                        "unparseable request line",
                        EMPTY,
                        EventType.INTERNAL_ERROR,
                        500,
                        "boom",
                        400,
                        "malformed-request",
                        "malformed_request"),
                new Case(
                        "internal error with a method",
                        request("GET", ""),
                        EventType.INTERNAL_ERROR,
                        500,
                        "boom",
                        500,
                        null,
                        "server_error"),
                new Case(
                        "internal error with a path",
                        request("", "/x"),
                        EventType.INTERNAL_ERROR,
                        500,
                        "boom",
                        500,
                        null,
                        "server_error"),
                new Case("server error of another kind", EMPTY, EventType.OTHER, 500, "", 500, null, "server_error"),
                new Case("server unavailable", get, EventType.OTHER, 503, "", 503, null, "server_error"),
                new Case(
                        "any other 4xx keeps its status",
                        get,
                        EventType.BAD_REQUEST,
                        408,
                        "",
                        408,
                        "malformed-request",
                        "malformed_request"),
                new Case(
                        "bad request",
                        get,
                        EventType.BAD_REQUEST,
                        400,
                        "Header value is not valid",
                        400,
                        "malformed-request",
                        "malformed_request"));
    }

    @ParameterizedTest
    @MethodSource
    void classified(Case c) {
        ParserRejections.Rejection rejection =
                rejections.classify(c.request(), c.event(), Status.create(c.defaultStatus()), c.message());
        assertThat(rejection.reason()).isEqualTo(c.reason());
        assertThat(rejection.problem().status()).isEqualTo(c.status());
        assertThat(rejection.problem().type())
                .isEqualTo(c.type() == null ? "about:blank" : Problem.TYPE_PREFIX + c.type());
        assertThat(rejection.problem().title()).isNotBlank();
        assertThat(rejection.problem().detail())
                .as("Helidon's message is never echoed: it may quote the client's bytes")
                .isNotBlank()
                .doesNotContain(c.message().isEmpty() ? "\u0000" : c.message());
    }

    @Test
    void headersTooLargeNamesTheLimit() {
        assertThat(rejections
                        .classify(EMPTY, EventType.BAD_REQUEST, Status.BAD_REQUEST_400, "Header size exceeded")
                        .problem()
                        .detail())
                .contains("4096 bytes");
    }

    @Test
    void aServerErrorKeepsItsReasonPhrase() {
        assertThat(rejections
                        .classify(EMPTY, EventType.OTHER, Status.SERVICE_UNAVAILABLE_503, "")
                        .problem()
                        .title())
                .isEqualTo("Service Unavailable");
        assertThat(rejections
                        .classify(EMPTY, EventType.OTHER, Status.create(418), "")
                        .problem()
                        .title())
                .isEqualTo(Status.create(418).reasonPhrase());
    }

    @Test
    void theAnswerIsAProblemThatClosesTheConnectionAndIsCountedAndLogged() throws Exception {
        TransportResponse response = rejections.handle(
                request("POST", "/api/users"),
                EventType.BAD_REQUEST,
                Status.BAD_REQUEST_400,
                ServerResponseHeaders.create(),
                "Content-Length header must have exactly one value.");

        assertThat(response.status().code()).isEqualTo(400);
        assertThat(response.keepAlive()).as("keep-alive").isFalse();
        assertThat(response.headers().get(HeaderNames.CONTENT_TYPE).get()).isEqualTo(Json.PROBLEM_MEDIA_TYPE);
        assertThat(response.headers().get(HeaderNames.CACHE_CONTROL).get()).isEqualTo("no-store");
        JsonNode body = TestJson.MAPPER.readTree(response.entity().orElseThrow());
        assertThat(body.path("status").asInt()).isEqualTo(400);
        assertThat(body.path("type").asText()).isEqualTo(Problem.TYPE_PREFIX + "invalid-framing");
        assertThat(body.path("instance").asText()).isEqualTo("/api/users");
        String requestId = response.headers()
                .get(dev.usersapi.observe.TracingHeaders.X_REQUEST_ID)
                .get();
        assertThat(requestId).isNotBlank();
        assertThat(body.toString()).contains(requestId);

        assertThat(security.list).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).isEqualTo("invalid_input: invalid_framing");
            assertThat(e.getMDCPropertyMap()).containsEntry("request_id", requestId);
        });
        assertThat(access.list).singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).isEqualTo("POST /api/users 400");
            assertThat(e.getMDCPropertyMap()).containsEntry("client_ip", "").containsEntry("path", "/api/users");
        });
        assertThat(MDC.getCopyOfContextMap()).as("MDC left behind").isNullOrEmpty();
        assertThat(rejectedCount("POST", "400")).isEqualTo(1);
    }

    @Test
    void aServerErrorIsNoSecurityEventButIsCountedAndLogged() {
        TransportResponse response = rejections.handle(
                EMPTY, EventType.OTHER, Status.INTERNAL_SERVER_ERROR_500, ServerResponseHeaders.create(), (String)
                        null);
        assertThat(response.status().code()).isEqualTo(500);
        assertThat(security.list).isEmpty();
        assertThat(access.list).hasSize(1);
        assertThat(rejectedCount(Metrics.OTHER_METHOD, "500")).isEqualTo(1);
    }

    @Test
    void anHttpVersionRefusalIsCountedButIsNoSecurityEvent() {
        // 505 says the server does not speak the version; only 4xx answers are the client's invalid input.
        rejections.handle(
                request("GET", "/"),
                EventType.HTTP_VERSION_NOT_SUPPORTED,
                Status.HTTP_VERSION_NOT_SUPPORTED_505,
                ServerResponseHeaders.create(),
                "HTTP/1.0");
        assertThat(security.list).isEmpty();
        assertThat(access.list)
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).isEqualTo("GET / 505"));
        assertThat(rejectedCount("GET", "505")).isEqualTo(1);
    }

    @Test
    void aSocketWithoutMetricsStillAnswersAndLogs() {
        ParserRejections admin = new ParserRejections(LIMITS, Optional.empty(), new AccessLog(), new SecurityLog());
        TransportResponse response = admin.handle(
                EMPTY, EventType.BAD_REQUEST, Status.BAD_REQUEST_400, ServerResponseHeaders.create(), "bad");
        assertThat(response.status().code()).isEqualTo(400);
        assertThat(access.list).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyKindOfRefusalComesHere(EventType type) {
        assertThat(rejections.handlers().handler(type)).isSameAs(rejections);
    }

    private long rejectedCount(String method, String status) {
        return metrics.registry().scrape().stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals("http_request_duration_seconds"))
                .flatMap(s -> ((HistogramSnapshot) s).getDataPoints().stream())
                .filter(p -> p.getLabels().get("method").equals(method)
                        && p.getLabels().get("route").equals("unmatched")
                        && p.getLabels().get("status").equals(status))
                .mapToLong(p -> p.getCount())
                .sum();
    }
}
