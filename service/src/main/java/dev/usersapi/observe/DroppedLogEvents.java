package dev.usersapi.observe;

import java.util.concurrent.atomic.LongAdder;

/**
 * Log events the {@link NonBlockingAppender} dropped instead of making a request wait, by kind of logger. Static
 * because logback is configured (by {@link JsonLogConfigurator}) before {@link Metrics} exists and there is one
 * logger context per JVM; {@link Metrics} reads these counts on every scrape.
 */
public final class DroppedLogEvents {
    /** The {@code logger} label: two values, so no logger name can grow the number of series. */
    public enum Kind {
        ACCESS("access"),
        OTHER("other");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Kind of(String loggerName) {
            return AccessLog.LOGGER_NAME.equals(loggerName) ? ACCESS : OTHER;
        }
    }

    private static final LongAdder ACCESS_DROPPED = new LongAdder();
    private static final LongAdder OTHER_DROPPED = new LongAdder();

    private DroppedLogEvents() {}

    public static long count(Kind kind) {
        return adder(kind).sum();
    }

    static void dropped(Kind kind) {
        adder(kind).increment();
    }

    private static LongAdder adder(Kind kind) {
        return kind == Kind.ACCESS ? ACCESS_DROPPED : OTHER_DROPPED;
    }
}
