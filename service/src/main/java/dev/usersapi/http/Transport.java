package dev.usersapi.http;

import dev.usersapi.config.ConnectionLimits;
import io.helidon.webserver.ErrorHandling;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http1.Http1Config;
import java.time.Duration;

/**
 * The HTTP/1 parser and connection limits of one socket (Helidon 4.5.0 keys; defaults in the comments). Both
 * sockets get the same, so the admin socket is no softer a target than the public one.
 */
public final class Transport {
    /** Longest request line (method, target, version) accepted; longer answers 414. Helidon's default. */
    static final int MAX_REQUEST_LINE_BYTES = 4096;
    /** How often Helidon looks for idle connections (default two minutes, which would stretch the idle timeout). */
    private static final Duration IDLE_CHECK_PERIOD = Duration.ofSeconds(1);

    private Transport() {}

    public static void configure(
            ListenerConfig.BuilderBase<?, ?> socket,
            String name,
            ConnectionLimits limits,
            DirectHandlers rejections,
            ReadTimeouts readTimeouts) {
        Http1Config http1 = Http1Config.builder()
                .maxPrologueLength(MAX_REQUEST_LINE_BYTES)
                .maxHeadersSize(limits.maxHeaderBytes())
                // both already default to true; written out because the abuse suite relies on them
                .validateRequestHeaders(true)
                .validatePath(true)
                .addReceiveListener(readTimeouts)
                .build();
        socket
                // default -1 (unlimited): each connection costs heap until the JVM dies. Further connections
                // wait in the kernel's accept queue (backlog, default 1024) until one is released.
                .maxTcpConnections(limits.maxConnections())
                // default 5 minutes; also bounds the wait for the first request line of a new connection
                .idleConnectionTimeout(limits.idleTimeout())
                .idleConnectionPeriod(IDLE_CHECK_PERIOD)
                .directHandlers(rejections)
                // lets Helidon hand its parser's message to the direct handlers, which classify but never echo it
                .errorHandling(ErrorHandling.builder().includeEntity(true).build())
                // Exactly one connection selector: Helidon's HTTP/1 with case-sensitive methods, and no discovered
                // protocols. With two selectors Helidon first waits for the client's bytes to pick one: a
                // connection that sends nothing is then never registered, so no idle timeout can close it, and a
                // request line that is not "... HTTP/1.1<CR><LF>" (HTTP/1.0, bare LF) is dropped unanswered.
                .protocolsDiscoverServices(false)
                .protocols(java.util.List.of())
                .connectionSelectors(java.util.List.of(CaseSensitiveMethods.selector(name, http1)));
    }
}
