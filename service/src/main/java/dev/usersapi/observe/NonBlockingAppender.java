package dev.usersapi.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Hands each event to one writer thread through a bounded queue and never makes the logging thread wait: when the
 * queue is full the event is dropped and counted in {@link DroppedLogEvents} (the metric
 * {@code users_api_log_events_dropped_total}). A request is never slowed down by a slow or stuck stdout.
 *
 * <p>Drop policy: once the queue is {@link #INFO_HEADROOM_PERCENT}% from full, events below WARN (access lines,
 * INFO) are dropped and the rest of the room is kept for WARN and ERROR (security events, failures); a full queue
 * drops anything. The writer encodes with {@link JsonLogLayout} into one reused buffer and writes a batch per
 * system call: everything queued, up to {@link #BATCH_BYTES}.
 *
 * <p>{@link #stop()} (logback's context stop, the last step of the graceful shutdown) lets the writer drain the
 * queue and flush, waiting at most {@link #setMaxFlushMillis} for it, so a normal stop loses no line.
 */
public final class NonBlockingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    static final int INFO_HEADROOM_PERCENT = 20;
    static final int BATCH_BYTES = 64 * 1024;

    private final OutputStream out;
    private final JsonLogLayout layout;
    private int capacity = JsonLogConfigurator.DEFAULT_QUEUE_SIZE;
    private long maxFlushMillis = 2000;
    private ArrayBlockingQueue<ILoggingEvent> queue;
    private int infoLimit;
    private Thread writer;

    NonBlockingAppender(OutputStream out, JsonLogLayout layout) {
        this.out = out;
        this.layout = layout;
    }

    /** Events the queue holds; about 1 KiB of heap each (the event, its MDC copy and message). */
    void setCapacity(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2, not " + capacity);
        }
        this.capacity = capacity;
    }

    void setMaxFlushMillis(long maxFlushMillis) {
        this.maxFlushMillis = maxFlushMillis;
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        queue = new ArrayBlockingQueue<>(capacity);
        infoLimit = capacity - Math.max(1, capacity * INFO_HEADROOM_PERCENT / 100);
        writer = new Thread(this::writeUntilStopped, "log-writer-" + getName());
        writer.setDaemon(true);
        super.start();
        writer.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        boolean keep = event.getLevel().isGreaterOrEqual(Level.WARN) || queue.size() < infoLimit;
        if (keep) {
            // The message, MDC and thread name must be taken on the logging thread, not the writer's.
            event.prepareForDeferredProcessing();
            keep = queue.offer(event);
        }
        if (!keep) {
            DroppedLogEvents.dropped(DroppedLogEvents.Kind.of(event.getLoggerName()));
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        writer.interrupt();
        try {
            writer.join(maxFlushMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            addWarn("log writer did not finish within " + maxFlushMillis + " ms; " + queue.size()
                    + " event(s) not written");
        }
    }

    private void writeUntilStopped() {
        Utf8JsonBuffer buffer = new Utf8JsonBuffer(BATCH_BYTES * 2);
        while (true) {
            ILoggingEvent event;
            try {
                event = queue.take();
            } catch (InterruptedException stopping) {
                break;
            }
            do {
                encode(event, buffer);
            } while (buffer.size() < BATCH_BYTES && (event = queue.poll()) != null);
            write(buffer);
        }
        // Stopping: what was queued before the stop is still written.
        ILoggingEvent event;
        while ((event = queue.poll()) != null) {
            encode(event, buffer);
            if (buffer.size() >= BATCH_BYTES) {
                write(buffer);
            }
        }
        write(buffer);
    }

    private void encode(ILoggingEvent event, Utf8JsonBuffer buffer) {
        int before = buffer.size();
        try {
            layout.append(event, buffer);
        } catch (RuntimeException e) {
            addError("could not encode a log event of " + event.getLoggerName(), e);
            buffer.truncate(before);
        }
    }

    private void write(Utf8JsonBuffer buffer) {
        if (buffer.size() == 0) {
            return;
        }
        try {
            buffer.writeTo(out);
            out.flush();
        } catch (IOException e) {
            addError("could not write log lines", e);
        } finally {
            buffer.reset(BATCH_BYTES * 2);
        }
    }
}
