package dev.usersapi.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionProvider;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Methods are case-sensitive (RFC 9110 §9.1), but Helidon 4.5.0's request-line parser upper-cases them before any
 * application code runs ({@code Method.create}), so {@code get} would be served as {@code GET}. This keeps the
 * request line's method as sent: Helidon's own HTTP/1 connection reads through a {@link DataReader} that notes
 * the method token of each request line, and {@link #filter()} answers 501 to a method that is not all upper
 * case. Nothing else of Helidon's parsing changes.
 */
public final class CaseSensitiveMethods {
    /** The connection this (virtual) thread serves: Helidon runs one thread per connection. */
    private static final ThreadLocal<MethodNotingReader> CURRENT = new ThreadLocal<>();

    private CaseSensitiveMethods() {}

    /** Helidon's HTTP/1 connection selector for {@code config}, reading through a method-noting reader. */
    public static ServerConnectionSelector selector(String socketName, Http1Config config) {
        ServerConnectionSelector http1 = new Http1ConnectionProvider()
                .create(socketName, config, ProtocolConfigs.create(java.util.List.of(config)));
        return new ServerConnectionSelector() {
            @Override
            public int bytesToIdentifyConnection() {
                return http1.bytesToIdentifyConnection();
            }

            @Override
            public Support supports(BufferData request) {
                return http1.supports(request);
            }

            @Override
            public Set<String> supportedApplicationProtocols() {
                return http1.supportedApplicationProtocols();
            }

            @Override
            public ServerConnection connection(ConnectionContext ctx) {
                MethodNotingReader reader = new MethodNotingReader(ctx.dataReader());
                CURRENT.set(reader);
                return http1.connection(new Context(ctx, reader));
            }
        };
    }

    /** Answers 501 to a request whose method was not sent in upper case; registered after the observability filter. */
    public static Filter filter() {
        return (chain, req, res) -> filter(chain, req, true);
    }

    /**
     * For a socket without the service's error responses (admin): only keeps track of request lines, so a
     * mis-cased method is served there as Helidon parsed it.
     */
    public static Filter tracking() {
        return (chain, req, res) -> filter(chain, req, false);
    }

    private static void filter(FilterChain chain, RoutingRequest req, boolean answer) {
        MethodNotingReader reader = CURRENT.get();
        try {
            String sent = reader == null ? null : reader.method;
            if (answer && sent != null && !sent.equals(req.prologue().method().text())) {
                // The raw token is a valid HTTP token (Helidon checked), so it is safe to quote.
                throw new ProblemException(
                        Problem.of(
                                501,
                                "method-not-implemented",
                                "Not Implemented",
                                "method names are case-sensitive: '" + sent + "' is not a method of this service"),
                        dev.usersapi.observe.SecurityEvent.INVALID_INPUT,
                        "method_case",
                        Map.of());
            }
            chain.proceed();
        } finally {
            if (reader != null) {
                reader.awaitRequestLine();
            }
        }
    }

    /**
     * Helidon reads each request line with {@link DataReader#readBytes(int)} (headers do so only for the value of
     * Connection): the first such read after a request has been routed is the next request line.
     */
    private static final class MethodNotingReader extends DataReader {
        private volatile boolean expectingRequestLine = true;
        private volatile String method;

        // Helidon 4.5 deprecates DataReader's constructors for removal and offers no other way to see each
        // request line before it is parsed; revisit when upgrading Helidon.
        @SuppressWarnings("removal")
        MethodNotingReader(DataReader source) {
            super(() -> {
                source.ensureAvailable();
                return source.readBytes(source.available());
            });
        }

        @Override
        public byte[] readBytes(int len) {
            byte[] bytes = super.readBytes(len);
            if (expectingRequestLine) {
                expectingRequestLine = false;
                int space = 0;
                while (space < bytes.length && bytes[space] != ' ') {
                    space++;
                }
                method = new String(bytes, 0, space, StandardCharsets.US_ASCII);
            }
            return bytes;
        }

        void awaitRequestLine() {
            expectingRequestLine = true;
            method = null;
        }
    }

    /** The connection as Helidon built it, with the method-noting reader in place of its own. */
    private record Context(ConnectionContext delegate, DataReader reader) implements ConnectionContext {
        @Override
        public PeerInfo remotePeer() {
            return delegate.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return delegate.localPeer();
        }

        @Override
        public boolean isSecure() {
            return delegate.isSecure();
        }

        @Override
        public String socketId() {
            return delegate.socketId();
        }

        @Override
        public String childSocketId() {
            return delegate.childSocketId();
        }

        @Override
        public ListenerContext listenerContext() {
            return delegate.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return delegate.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return delegate.dataWriter();
        }

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public Router router() {
            return delegate.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return delegate.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return delegate.serverSocket();
        }
    }
}
