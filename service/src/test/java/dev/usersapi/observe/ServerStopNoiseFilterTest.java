package dev.usersapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Through System.Logger, the way Helidon logs, into an appender carrying the filter as the service's
 * async appender does, so the bridge's path to the filter is exercised too.
 */
class ServerStopNoiseFilterTest {
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final System.Logger helidon = System.getLogger(ServerStopNoiseFilter.LISTENER_LOGGER);

    @BeforeEach
    void attach() {
        ServerStopNoiseFilter.reset();
        captured.addFilter(new ServerStopNoiseFilter());
        captured.start();
        // Only this appender sees the events: the root's async appender carries the same filter.
        listenerLogger().setAdditive(false);
        listenerLogger().addAppender(captured);
    }

    @AfterEach
    void detach() {
        listenerLogger().detachAppender(captured);
        listenerLogger().setAdditive(true);
        ServerStopNoiseFilter.reset();
    }

    private static Logger listenerLogger() {
        return (Logger) LoggerFactory.getLogger(ServerStopNoiseFilter.LISTENER_LOGGER);
    }

    @Test
    void logsTheRaceAsAnErrorOutsideAShutdown() {
        helidon.log(
                System.Logger.Level.ERROR,
                "Executor rejected handler for new connection",
                new RejectedExecutionException());
        assertThat(captured.list).hasSize(1);
        assertThat(ServerStopNoiseFilter.refusedWhileStopping()).isZero();
    }

    @Test
    void countsTheRaceInsteadOfLoggingItWhileStopping() {
        ServerStopNoiseFilter.serverStopping();
        helidon.log(
                System.Logger.Level.ERROR,
                "Executor rejected handler for new connection",
                new RejectedExecutionException());
        helidon.log(
                System.Logger.Level.ERROR,
                "Executor rejected handler for new connection",
                new RejectedExecutionException());
        assertThat(captured.list).isEmpty();
        assertThat(ServerStopNoiseFilter.refusedWhileStopping()).isEqualTo(2);
    }

    @Test
    void otherErrorsWhileStoppingStillShow() {
        ServerStopNoiseFilter.serverStopping();
        helidon.log(System.Logger.Level.ERROR, "something else", new IllegalStateException());
        helidon.log(System.Logger.Level.ERROR, "no cause");
        assertThat(captured.list).hasSize(2);
        assertThat(ServerStopNoiseFilter.refusedWhileStopping()).isZero();
    }
}
