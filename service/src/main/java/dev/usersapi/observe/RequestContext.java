package dev.usersapi.observe;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import org.slf4j.MDC;

/**
 * What every log line about a request carries. Put in the MDC for the request's duration, so the access
 * line, security events and any other line logged while serving it share the same fields.
 */
public record RequestContext(String requestId, TraceContext trace, String method, String path,
                             String clientIp, String userAgent) {
    /** Paths and user agents come from the client: bound what one request can write into the log. */
    private static final int MAX_FIELD_LENGTH = 512;

    public static RequestContext of(ServerRequest req) {
        var headers = req.headers();
        return new RequestContext(
                RequestIds.fromHeader(headers.first(TracingHeaders.X_REQUEST_ID)),
                TraceContext.fromHeader(headers.first(TracingHeaders.TRACEPARENT)),
                req.prologue().method().text(),
                truncate(req.path().rawPath()),
                clientIp(req.remotePeer().address()),
                truncate(headers.first(HeaderNames.USER_AGENT).orElse("")));
    }

    /**
     * A request Helidon refused before routing (bad framing, timeouts): what is known of it, for the log lines
     * about it. The client address is empty when the connection is not known.
     */
    public static RequestContext rejected(String method, String path, String clientIp) {
        return new RequestContext(RequestIds.fromHeader(java.util.Optional.empty()), TraceContext.generate(),
                truncate(method == null ? "" : method), truncate(path == null ? "" : path), clientIp, "");
    }

    public void putInMdc() {
        MDC.put("request_id", requestId);
        MDC.put("trace_id", trace.traceId());
        MDC.put("span_id", trace.spanId());
        MDC.put("method", method);
        MDC.put("path", path);
        MDC.put("client_ip", clientIp);
        MDC.put("user_agent", userAgent);
    }

    public static void clearMdc() {
        MDC.clear();
    }

    private static String clientIp(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return String.valueOf(address);
    }

    private static String truncate(String value) {
        return value.length() <= MAX_FIELD_LENGTH ? value : value.substring(0, MAX_FIELD_LENGTH) + "…";
    }
}
