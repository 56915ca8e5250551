package dev.usersapi.observe;

import dev.usersapi.config.TrustedProxies;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * What every log line about a request carries. Put in the MDC for the request's duration, so the access
 * line, security events and any other line logged while serving it share the same fields.
 */
public record RequestContext(
        String requestId,
        TraceContext trace,
        String method,
        String path,
        String clientIp,
        String peerIp,
        String userAgent) {

    /** Paths and user agents come from the client: bound what one request can write into the log. */
    private static final int MAX_FIELD_LENGTH = 512;

    /**
     * The context of a routed request; {@code client_ip} is the peer unless the peer is one of the trusted proxies,
     * then the client they report ({@link TrustedProxies}), and {@code peer_ip} always the TCP peer.
     */
    public static RequestContext of(ServerRequest req, TrustedProxies trustedProxies) {
        var headers = req.headers();
        Optional<InetAddress> peer = peerAddress(req.remotePeer().address());
        String peerIp = peer.map(InetAddress::getHostAddress)
                .orElseGet(() -> String.valueOf(req.remotePeer().address()));
        String clientIp = trustedProxies.isEmpty() || peer.isEmpty()
                ? peerIp
                : trustedProxies.clientIp(
                        peer,
                        headers.all(HeaderNames.X_FORWARDED_FOR, List::of),
                        headers.all(HeaderNames.FORWARDED, List::of));
        return new RequestContext(
                RequestIds.fromHeader(headers.first(TracingHeaders.X_REQUEST_ID)),
                TraceContext.fromHeader(headers.first(TracingHeaders.TRACEPARENT)),
                req.prologue().method().text(),
                truncate(req.path().rawPath()),
                clientIp,
                peerIp,
                truncate(headers.first(HeaderNames.USER_AGENT).orElse("")));
    }

    /**
     * A request Helidon refused before routing (bad framing, timeouts): what is known of it, for the log lines
     * about it. The client address (the TCP peer: its headers were not read) is empty when the connection is not known.
     */
    public static RequestContext rejected(String method, String path, String clientIp) {
        return new RequestContext(
                RequestIds.fromHeader(java.util.Optional.empty()),
                TraceContext.generate(),
                truncate(method == null ? "" : method),
                truncate(path == null ? "" : path),
                clientIp,
                clientIp,
                "");
    }

    public void putInMdc() {
        MDC.put("request_id", requestId);
        MDC.put("trace_id", trace.traceId());
        MDC.put("span_id", trace.spanId());
        MDC.put("method", method);
        MDC.put("path", path);
        MDC.put("client_ip", clientIp);
        MDC.put("peer_ip", peerIp);
        MDC.put("user_agent", userAgent);
    }

    public static void clearMdc() {
        MDC.clear();
    }

    private static Optional<InetAddress> peerAddress(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? Optional.ofNullable(inet.getAddress()) : Optional.empty();
    }

    private static String truncate(String value) {
        return value.length() <= MAX_FIELD_LENGTH ? value : value.substring(0, MAX_FIELD_LENGTH) + "…";
    }
}
