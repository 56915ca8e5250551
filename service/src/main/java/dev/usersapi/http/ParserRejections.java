package dev.usersapi.http;

import dev.usersapi.config.ConnectionLimits;
import dev.usersapi.observe.AccessLog;
import dev.usersapi.observe.Metrics;
import dev.usersapi.observe.RequestContext;
import dev.usersapi.observe.Routes;
import dev.usersapi.observe.SecurityEvent;
import dev.usersapi.observe.SecurityLog;
import dev.usersapi.observe.TracingHeaders;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Answers for requests Helidon's HTTP/1 parser refuses before any routing (bad request line, bad framing, headers
 * too large, HTTP/1.0): an RFC 9457 body like every other error, a metric and an access line like every other
 * request, and an {@code invalid_input} security event. The connection is always closed afterwards (Helidon does
 * that for every parser rejection), so nothing the client sent after a rejected request is ever read.
 * <p>
 * Helidon's messages are used to classify the failure, never echoed: they may quote the client's bytes.
 */
public final class ParserRejections implements DirectHandler {
    private final ConnectionLimits limits;
    private final Optional<Metrics> metrics;
    private final AccessLog accessLog;
    private final SecurityLog securityLog;

    /** {@code metrics} empty: the socket's requests are not counted (the admin socket). */
    public ParserRejections(
            ConnectionLimits limits, Optional<Metrics> metrics, AccessLog accessLog, SecurityLog securityLog) {
        this.limits = limits;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.securityLog = securityLog;
    }

    public DirectHandlers handlers() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, this);
        }
        return builder.build();
    }

    /** What the client is told, and the {@code reason} of the security event. */
    record Rejection(Problem problem, String reason) {}

    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status defaultStatus,
            ServerResponseHeaders headers,
            String message) {
        Rejection rejection = classify(request, eventType, defaultStatus, message == null ? "" : message);
        RequestContext ctx = RequestContext.rejected(
                request.method(),
                request.path(),
                ReadTimeouts.currentPeer()
                        .map(peer -> peer instanceof InetSocketAddress inet && inet.getAddress() != null
                                ? inet.getAddress().getHostAddress()
                                : String.valueOf(peer))
                        .orElse(""));
        int status = rejection.problem().status();
        ctx.putInMdc();
        try {
            if (status < 500) {
                securityLog.event(SecurityEvent.INVALID_INPUT, rejection.reason(), Routes.UNMATCHED);
            }
            metrics.ifPresent(m -> m.requestRejected(request.method(), status));
            accessLog.request(ctx, Routes.UNMATCHED, status, 0);
        } finally {
            RequestContext.clearMdc();
        }
        byte[] body = rejection.problem().toJson(ctx.path(), ctx.requestId());
        headers.set(HeaderNames.CONTENT_TYPE, Json.PROBLEM_MEDIA_TYPE);
        headers.set(HeaderNames.CACHE_CONTROL, "no-store");
        headers.set(TracingHeaders.X_REQUEST_ID, ctx.requestId());
        return TransportResponse.builder()
                .status(Status.create(status))
                .headers(headers)
                .keepAlive(false)
                .entity(body)
                .build();
    }

    Rejection classify(TransportRequest request, EventType eventType, Status defaultStatus, String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (eventType == EventType.HTTP_VERSION_NOT_SUPPORTED) {
            return new Rejection(
                    Problem.of(
                            505,
                            "http-version-not-supported",
                            "HTTP Version Not Supported",
                            "this service speaks HTTP/1.1 only; send the request as HTTP/1.1"),
                    "http_version");
        }
        if (defaultStatus.code() == 414) {
            return new Rejection(
                    Problem.of(
                            414, "uri-too-long", "URI Too Long", "the request line is longer than the server accepts"),
                    "request_line_too_long");
        }
        if (lower.contains("header size exceeded")) {
            return new Rejection(
                    Problem.of(
                            431,
                            "headers-too-large",
                            "Request Header Fields Too Large",
                            "the request headers exceed " + limits.maxHeaderBytes() + " bytes"),
                    "headers_too_large");
        }
        if (eventType == EventType.PAYLOAD_TOO_LARGE || defaultStatus.code() == 413) {
            return new Rejection(
                    Problem.of(
                            413,
                            "body-too-large",
                            "Content Too Large",
                            "the request body is larger than the server accepts"),
                    "body_too_large");
        }
        if (lower.contains("transfer-encoding")
                || lower.contains("transfer encoding")
                || lower.contains("content length")
                || lower.contains("content-length")
                || lower.contains("chunk")) {
            // RFC 9112 §6.1, §6.3: a message whose length is ambiguous is refused and its connection closed.
            return new Rejection(
                    Problem.of(
                            400,
                            "invalid-framing",
                            "Bad Request",
                            "the request's length is ambiguous or invalid: send either one valid Content-Length or "
                                    + "Transfer-Encoding: chunked alone"),
                    "invalid_framing");
        }
        if (eventType == EventType.INTERNAL_ERROR
                && request.method().isEmpty()
                && request.path().isEmpty()) {
            // Nothing of the request was understood: Helidon's request-line parser threw (e.g. method "G=T").
            return new Rejection(
                    Problem.of(
                            400,
                            "malformed-request",
                            "Bad Request",
                            "the request line is not valid HTTP/1.1 (method SP request-target SP HTTP/1.1)"),
                    "malformed_request");
        }
        if (defaultStatus.code() >= 500) {
            return new Rejection(
                    Problem.of(
                            defaultStatus.code(),
                            null,
                            defaultStatus.reasonPhrase(),
                            "the server failed to handle the request"),
                    "server_error");
        }
        return new Rejection(
                Problem.of(
                        defaultStatus.code(),
                        "malformed-request",
                        defaultStatus.reasonPhrase(),
                        "the request is not valid HTTP/1.1 and was refused; the connection is closed"),
                "malformed_request");
    }
}
