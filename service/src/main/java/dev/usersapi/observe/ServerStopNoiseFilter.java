package dev.usersapi.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * While the server stops, Helidon shuts its connection executor before it closes the listening socket;
 * a client that connects in between is refused and Helidon logs that at ERROR
 * ("Executor rejected handler for new connection"). After the drain this is expected, not an error, so
 * from {@link #serverStopping()} on exactly that event (that logger, ERROR, a
 * RejectedExecutionException) is counted instead of logged, and the shutdown reports the count at INFO.
 * Any other error, or this one outside a shutdown, is logged as usual. An appender filter, not a turbo
 * filter: events that arrive through System.Logger reach turbo filters without their throwable.
 */
public final class ServerStopNoiseFilter extends Filter<ILoggingEvent> {
    static final String LISTENER_LOGGER = "io.helidon.webserver.ServerListener";
    private static final AtomicBoolean STOPPING = new AtomicBoolean();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    public static void serverStopping() {
        STOPPING.set(true);
    }

    /** Connections refused while the server was stopping. */
    public static int refusedWhileStopping() {
        return REFUSED.get();
    }

    static void reset() {
        STOPPING.set(false);
        REFUSED.set(0);
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        IThrowableProxy thrown = event.getThrowableProxy();
        if (STOPPING.get()
                && event.getLevel() == Level.ERROR
                && thrown != null
                && RejectedExecutionException.class.getName().equals(thrown.getClassName())
                && LISTENER_LOGGER.equals(event.getLoggerName())) {
            REFUSED.incrementAndGet();
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
