package dev.usersapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usersapi.observe.DroppedLogEvents.Kind;
import dev.usersapi.support.Await;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class NonBlockingAppenderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final StuckStream stuck = new StuckStream();
    private NonBlockingAppender appender;

    @AfterEach
    void release() {
        stuck.release.countDown();
        if (appender != null) {
            appender.stop();
        }
    }

    private NonBlockingAppender start(OutputStream out, int capacity) {
        appender = new NonBlockingAppender(out, new JsonLogLayout("users-api", "1.2.3"));
        appender.setContext(context);
        appender.setName("test");
        appender.setCapacity(capacity);
        appender.setMaxFlushMillis(5_000);
        appender.start();
        return appender;
    }

    private LoggingEvent event(String logger, Level level, String message) {
        return new LoggingEvent(getClass().getName(), context.getLogger(logger), level, message, null, null);
    }

    @Test
    void aFullQueueNeverBlocksTheCallerAndCountsEveryDropExactly() throws Exception {
        // 10 places: INFO may fill 8 (20% headroom kept for WARN and ERROR), WARN the last 2.
        NonBlockingAppender appender = start(stuck, 10);
        appender.doAppend(event(AccessLog.LOGGER_NAME, Level.INFO, "first"));
        assertThat(stuck.entered.await(5, TimeUnit.SECONDS))
                .as("the writer took the first event and is stuck writing it")
                .isTrue();
        long accessBefore = DroppedLogEvents.count(Kind.ACCESS);
        long otherBefore = DroppedLogEvents.count(Kind.OTHER);

        long started = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            appender.doAppend(event(AccessLog.LOGGER_NAME, Level.INFO, "access " + i));
        }
        for (int i = 0; i < 5; i++) {
            appender.doAppend(event("users-api.security", Level.WARN, "security " + i));
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(elapsedMillis).as("1,005 appends against a stuck stdout").isLessThan(1_000);
        assertThat(DroppedLogEvents.count(Kind.ACCESS) - accessBefore).isEqualTo(1_000 - 8);
        assertThat(DroppedLogEvents.count(Kind.OTHER) - otherBefore).isEqualTo(5 - 2);

        stuck.release.countDown();
        appender.stop();
        List<String> lines = stuck.lines();
        assertThat(lines).hasSize(1 + 8 + 2);
        assertThat(lines.getFirst()).contains("\"message\":\"first\"");
        assertThat(lines.subList(1, 9)).allMatch(l -> l.contains("\"level\":\"INFO\""));
        assertThat(lines.subList(9, 11)).allMatch(l -> l.contains("\"level\":\"WARN\""));
        for (String line : lines) {
            assertThat(JSON.readTree(line).get("service").asText()).isEqualTo("users-api");
        }
    }

    @Test
    void stopWritesEverythingQueuedBeforeIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NonBlockingAppender appender = start(out, 10_000);
        for (int i = 0; i < 5_000; i++) {
            appender.doAppend(event("users-api.test", Level.INFO, "line " + i));
        }
        appender.stop();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(5_000);
        assertThat(JSON.readTree(lines.getLast()).get("message").asText()).isEqualTo("line 4999");
    }

    @Test
    void stopGivesUpOnAStuckStdoutAfterTheFlushTime() throws Exception {
        NonBlockingAppender appender = start(stuck, 10);
        appender.setMaxFlushMillis(200);
        appender.doAppend(event("users-api.test", Level.ERROR, "stuck"));
        assertThat(stuck.entered.await(5, TimeUnit.SECONDS)).isTrue();
        long started = System.nanoTime();
        appender.stop();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(150L, 2_000L);
    }

    @Test
    void theMessageAndMdcAreTakenOnTheLoggingThread() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NonBlockingAppender appender = start(out, 100);
        org.slf4j.MDC.put("request_id", "r-1");
        try {
            appender.doAppend(event("users-api.test", Level.INFO, "with mdc"));
        } finally {
            org.slf4j.MDC.remove("request_id");
        }
        appender.stop();
        assertThat(JSON.readTree(out.toString(StandardCharsets.UTF_8))
                        .get("request_id")
                        .asText())
                .isEqualTo("r-1");
    }

    @Test
    void aBurstGoesOutInAFewWritesAndALoneLineStillPromptly() throws Exception {
        CountingStream out = new CountingStream();
        NonBlockingAppender appender = start(out, 10_000);
        for (int i = 0; i < 2_000; i++) {
            appender.doAppend(event("users-api.test", Level.INFO, "burst " + i));
        }
        Await.until("the burst written", Duration.ofSeconds(5), () -> out.lines() == 2_000);
        assertThat(out.writes())
                .as("writes for 2,000 lines: the writer gathers instead of waking per line")
                .isLessThan(200);

        // An idle writer parks without a deadline; a single line must still wake it.
        Thread.sleep(3 * NonBlockingAppender.GATHER_MILLIS);
        appender.doAppend(event("users-api.test", Level.INFO, "alone"));
        assertThat(Await.until("the lone line written", Duration.ofSeconds(5), () -> out.lines() == 2_001))
                .isLessThan(Duration.ofSeconds(1));
    }

    /** Counts write calls and lines; the writer thread writes, the test thread reads. */
    private static final class CountingStream extends OutputStream {
        private final AtomicInteger writes = new AtomicInteger();
        private final AtomicInteger lines = new AtomicInteger();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.incrementAndGet();
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    lines.incrementAndGet();
                }
            }
        }

        int writes() {
            return writes.get();
        }

        int lines() {
            return lines.get();
        }
    }

    /** Standard output that blocks the writer in write() until released: a full pipe, a stalled log collector. */
    private static final class StuckStream extends OutputStream {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            entered.countDown();
            // Like a write to a full pipe: an interrupt does not end it.
            boolean interrupted = false;
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            written.write(b, off, len);
        }

        synchronized List<String> lines() {
            return Arrays.asList(written.toString(StandardCharsets.UTF_8).split("\n"));
        }
    }
}
