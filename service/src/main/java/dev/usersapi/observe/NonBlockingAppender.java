package dev.usersapi.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

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
 * <p>Wake-ups: a logging thread never signals the writer while it is busy. After a batch the writer sleeps
 * {@link #GATHER_MILLIS} so that the next lines gather into one write; only when a round found nothing does it
 * park until an appender wakes it. A queue that signals its consumer on every offer (a blocking {@code take()})
 * cost a futex call and a context switch per request: one per access line on two cores shared with the server.
 *
 * <p>{@link #stop()} (logback's context stop, the last step of the graceful shutdown) lets the writer drain the
 * queue and flush, waiting at most {@link #setMaxFlushMillis} for it, so a normal stop loses no line.
 */
public final class NonBlockingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    static final int INFO_HEADROOM_PERCENT = 20;
    static final int BATCH_BYTES = 64 * 1024;
    /**
     * The writer's pause after a batch: how late a line may reach stdout under load. Short against the queue's
     * room (at 30k lines/s, 10 ms gathers 300 of the 8,192), long enough that lines go out in one write.
     */
    static final long GATHER_MILLIS = 10;

    private static final int DRAIN_CHUNK = 256;

    private final OutputStream out;
    private final JsonLogLayout layout;
    private int capacity = JsonLogConfigurator.DEFAULT_QUEUE_SIZE;
    private long maxFlushMillis = 2000;
    private Writer writer;

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
        writer = new Writer(capacity, "log-writer-" + getName());
        super.start();
        writer.thread.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        Writer w = writer;
        // logback calls append only while started, so the writer exists; the check keeps that visible here.
        boolean keep = w != null && (event.getLevel().isGreaterOrEqual(Level.WARN) || w.queue.size() < w.infoLimit);
        if (keep) {
            // The message, MDC and thread name must be taken on the logging thread, not the writer's.
            event.prepareForDeferredProcessing();
            keep = w.offer(event);
        }
        if (!keep) {
            DroppedLogEvents.dropped(DroppedLogEvents.Kind.of(event.getLoggerName()));
        }
    }

    @Override
    public void stop() {
        Writer w = writer;
        if (!isStarted() || w == null) {
            return;
        }
        super.stop();
        w.stopping.set(true);
        LockSupport.unpark(w.thread);
        try {
            w.thread.join(maxFlushMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (w.thread.isAlive()) {
            addWarn("log writer did not finish within " + maxFlushMillis + " ms; " + w.queue.size()
                    + " event(s) not written");
        }
    }

    /** The queue and the one thread that empties it into {@code out}; one per start. */
    private final class Writer implements Runnable {
        final ArrayBlockingQueue<ILoggingEvent> queue;
        final int infoLimit;
        final Thread thread;
        /** The writer found the queue empty and parks until an appender unparks it. */
        final AtomicBoolean idle = new AtomicBoolean();

        final AtomicBoolean stopping = new AtomicBoolean();
        /** The chunk of events taken from the queue (writer thread only). */
        private final List<ILoggingEvent> drained = new ArrayList<>(DRAIN_CHUNK);

        Writer(int capacity, String threadName) {
            queue = new ArrayBlockingQueue<>(capacity);
            infoLimit = capacity - Math.max(1, capacity * INFO_HEADROOM_PERCENT / 100);
            thread = new Thread(this, threadName);
            thread.setDaemon(true);
        }

        boolean offer(ILoggingEvent event) {
            if (!queue.offer(event)) {
                return false;
            }
            if (idle.get()) {
                LockSupport.unpark(thread);
            }
            return true;
        }

        @Override
        public void run() {
            Utf8JsonBuffer buffer = new Utf8JsonBuffer(BATCH_BYTES * 2);
            while (!stopping.get()) {
                if (writeQueued(buffer) > 0) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(GATHER_MILLIS));
                } else {
                    waitForEvents();
                }
            }
            // Stopping: what was queued before the stop is still written.
            writeQueued(buffer);
        }

        /** Encodes and writes everything queued, a write per {@link #BATCH_BYTES}; returns how many events. */
        private int writeQueued(Utf8JsonBuffer buffer) {
            int written = 0;
            // drainTo takes the queue's lock once per chunk, not once per event, so appenders rarely wait for it.
            while (queue.drainTo(drained, DRAIN_CHUNK) > 0) {
                for (ILoggingEvent event : drained) {
                    encode(event, buffer);
                    if (buffer.size() >= BATCH_BYTES) {
                        write(buffer);
                    }
                }
                written += drained.size();
                drained.clear();
            }
            write(buffer);
            return written;
        }

        /**
         * Parks until an appender sees {@link #idle} and unparks: the flag is set before the last look at the queue,
         * so an event offered after that look finds it set, and one offered before is seen by the look.
         */
        private void waitForEvents() {
            idle.set(true);
            if (queue.isEmpty() && !stopping.get()) {
                LockSupport.park(this);
            }
            idle.set(false);
        }
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
