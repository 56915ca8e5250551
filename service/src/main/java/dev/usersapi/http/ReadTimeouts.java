package dev.usersapi.http;

import dev.usersapi.observe.Metrics;
import dev.usersapi.observe.RequestContext;
import dev.usersapi.observe.SecurityEvent;
import dev.usersapi.observe.SecurityLog;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The header-read and body-read timeouts Helidon does not have: a client that sends its request line and then
 * trickles headers (or a body) would hold its connection, its buffers and a slot of the connection cap for as
 * long as it likes. Helidon tells this listener when a request line and when the headers have been read; a
 * watchdog closes connections whose deadline passed, which fails the blocked read.
 * <p>
 * The wait for a request line is Helidon's idle timeout. A body deadline ends when the body has been read
 * ({@link #bodyRead()}: by the handler, or by {@link AfterResponse} for a body the handler left unread).
 */
public final class ReadTimeouts implements Http1ConnectionListener, AutoCloseable {
    /** The connection the current (virtual) thread serves: Helidon runs one thread per connection. */
    private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

    private static final long CHECK_MILLIS = 100;
    /** One watchdog thread for all servers in the JVM (tests start many). */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("users-api-read-timeouts").daemon(true).factory());

    private final long headerNanos;
    private final long bodyNanos;
    private final Optional<Metrics> metrics;
    private final SecurityLog securityLog;
    private final Map<ConnectionContext, Deadline> deadlines = new ConcurrentHashMap<>();
    /** Connections the watchdog closed, with the time, so the reading thread can tell a timeout from a reset. */
    private final Map<ConnectionContext, Long> expired = new ConcurrentHashMap<>();

    private final ScheduledFuture<?> check;

    private record Deadline(long atNanos, String phase, String method, String path) {}

    private record Current(ReadTimeouts owner, ConnectionContext connection) {}

    /** {@code metrics} empty: the socket's requests are not counted (the admin socket). */
    public ReadTimeouts(
            Duration headerTimeout, Duration bodyTimeout, Optional<Metrics> metrics, SecurityLog securityLog) {
        this.headerNanos = headerTimeout.toNanos();
        this.bodyNanos = bodyTimeout.toNanos();
        this.metrics = metrics;
        this.securityLog = securityLog;
        this.check =
                WATCHDOG.scheduleWithFixedDelay(this::closeExpired, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        CURRENT.set(new Current(this, ctx));
        deadlines.put(
                ctx,
                new Deadline(
                        System.nanoTime() + headerNanos,
                        "header",
                        prologue.method().text(),
                        prologue.uriPath().rawPath()));
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        Deadline header = deadlines.get(ctx);
        if (header != null
                && (headers.contains(HeaderNames.CONTENT_LENGTH) || headers.contains(HeaderNames.TRANSFER_ENCODING))) {
            deadlines.put(ctx, new Deadline(System.nanoTime() + bodyNanos, "body", header.method(), header.path()));
        } else {
            deadlines.remove(ctx);
        }
    }

    /** The handler on this thread has read the whole request body: its deadline no longer applies. */
    public static void bodyRead() {
        Current current = CURRENT.get();
        if (current != null) {
            current.owner().deadlines.remove(current.connection());
        }
    }

    /** The client address of the connection this thread serves, once a request line of it has been read. */
    public static Optional<java.net.SocketAddress> currentPeer() {
        Current current = CURRENT.get();
        return current == null
                ? Optional.empty()
                : Optional.of(current.connection().remotePeer().address());
    }

    /** Whether this thread's connection was closed because its request did not arrive in time. */
    public static boolean timedOut() {
        Current current = CURRENT.get();
        return current != null && current.owner().expired.containsKey(current.connection());
    }

    private void closeExpired() {
        try {
            closeExpired(System.nanoTime());
        } catch (RuntimeException e) {
            // a failure must not end the periodic check (the executor drops a task that throws)
            org.slf4j.LoggerFactory.getLogger(ReadTimeouts.class).warn("read timeout check failed", e);
        }
    }

    private void closeExpired(long now) {
        // The reading thread asks timedOut() as soon as its read fails; ten seconds is ample.
        expired.values().removeIf(closedAt -> now - closedAt > TimeUnit.SECONDS.toNanos(10));
        deadlines.forEach((ctx, deadline) -> {
            if (now - deadline.atNanos() >= 0 && deadlines.remove(ctx, deadline)) {
                HelidonSocket socket = ctx.serverSocket();
                if (!socket.isConnected()) {
                    return; // the client went away and Helidon closed the connection: no timeout to report
                }
                expired.put(ctx, now);
                report(deadline);
                try {
                    socket.close();
                } catch (RuntimeException alreadyClosed) {
                    // closed meanwhile: nothing left to do
                }
            }
        });
    }

    private void report(Deadline deadline) {
        RequestContext.rejected(deadline.method(), deadline.path(), "").putInMdc();
        try {
            securityLog.event(SecurityEvent.SUSPICIOUS_REQUEST, deadline.phase() + "_timeout", "unmatched");
            metrics.ifPresent(m -> m.requestRejected(deadline.method(), 408));
        } finally {
            RequestContext.clearMdc();
        }
    }

    @Override
    public void close() {
        check.cancel(false);
    }
}
