package dev.usersapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.usersapi.UsersApi;
import dev.usersapi.observe.DroppedLogEvents.Kind;
import dev.usersapi.support.RawHttp;
import dev.usersapi.support.TestApps;
import io.helidon.webserver.WebServer;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Events dropped by the appender show on the admin socket's /metrics, by kind of logger. */
class LogDropsMetricTest {
    private final CountDownLatch writing = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private NonBlockingAppender appender;
    private WebServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (appender != null) {
            appender.stop();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void droppedEventsAreCountedOnTheMetricsEndpoint() throws Exception {
        UsersApi app = TestApps.app(TestApps.settings());
        server = WebServer.builder().update(app::configure).build().start();
        RawHttp admin = new RawHttp(server.port(UsersApi.ADMIN_SOCKET));

        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        appender = new NonBlockingAppender(stuckStream(), new JsonLogLayout("users-api", "test"));
        appender.setContext(context);
        appender.setName("metric-test");
        appender.setCapacity(5);
        appender.start();
        appender.doAppend(new LoggingEvent(
                getClass().getName(), context.getLogger(AccessLog.LOGGER_NAME), Level.INFO, "taken", null, null));
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
        long accessBefore = DroppedLogEvents.count(Kind.ACCESS);
        long otherBefore = DroppedLogEvents.count(Kind.OTHER);
        // 5 places, INFO up to 4: two of each kind fit in turn, then one more WARN, then nothing.
        for (int i = 0; i < 50; i++) {
            appender.doAppend(new LoggingEvent(
                    getClass().getName(), context.getLogger(AccessLog.LOGGER_NAME), Level.INFO, "x", null, null));
            appender.doAppend(new LoggingEvent(
                    getClass().getName(), context.getLogger("users-api.security"), Level.WARN, "y", null, null));
        }
        long access = DroppedLogEvents.count(Kind.ACCESS);
        long other = DroppedLogEvents.count(Kind.OTHER);
        assertThat(access - accessBefore).isEqualTo(48);
        assertThat(other - otherBefore).isEqualTo(47);

        String metrics = admin.get("/metrics").text();
        assertThat(metrics)
                .contains("# TYPE users_api_log_events_dropped_total counter")
                .contains("users_api_log_events_dropped_total{logger=\"access\"} " + (double) access)
                .contains("users_api_log_events_dropped_total{logger=\"other\"} " + (double) other);
    }

    private OutputStream stuckStream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
