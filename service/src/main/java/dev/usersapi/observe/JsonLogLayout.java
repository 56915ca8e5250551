package dev.usersapi.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * The log contract's line (docs/architecture.md, "Log contract"), written by hand into a reused buffer: the
 * contract fields in a fixed order, then the MDC (the request fields), then the event's key-value pairs
 * ({@code event}, {@code route}, {@code status}, ...), then {@code stack_trace}. It replaces
 * logstash-logback-encoder, whose generic providers, Jackson generator and per-event allocations were the
 * largest part of the log writer's time in the profile. Used by the single writer thread only (not thread-safe).
 */
final class JsonLogLayout {
    /** Frames written per throwable in {@code stack_trace}; the rest is summarised as "... N more". */
    static final int MAX_FRAMES_PER_THROWABLE = 30;

    private final String service;
    private final String version;
    // The timestamp up to the seconds changes once a second: formatted once, then only the nanoseconds.
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedSecondText = "";
    private final StringBuilder scratch = new StringBuilder(64);

    JsonLogLayout(String service, String version) {
        this.service = service;
        this.version = version;
    }

    /** Appends one line (a JSON object and a newline) for the event. */
    void append(ILoggingEvent event, Utf8JsonBuffer out) {
        out.raw((byte) '{');
        out.name(true, "@timestamp");
        out.raw((byte) '"');
        out.ascii(timestamp(event.getInstant()));
        out.raw((byte) '"');
        out.stringMember(false, "level", event.getLevel().toString());
        out.stringMember(false, "logger", event.getLoggerName());
        out.stringMember(false, "thread", String.valueOf(event.getThreadName()));
        out.stringMember(false, "message", String.valueOf(event.getFormattedMessage()));
        out.stringMember(false, "service", service);
        out.stringMember(false, "version", version);
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            for (Map.Entry<String, String> e : mdc.entrySet()) {
                out.stringMember(false, e.getKey(), String.valueOf(e.getValue()));
            }
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                if (pair.value instanceof Number number) {
                    out.numberMember(false, pair.key, number);
                } else {
                    out.stringMember(false, pair.key, String.valueOf(pair.value));
                }
            }
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            out.stringMember(false, "stack_trace", stackTrace(thrown));
        }
        out.raw((byte) '}');
        out.raw((byte) '\n');
    }

    /** ISO-8601 in UTC with nanoseconds, e.g. {@code 2026-11-29T22:18:52.022487325Z} (RFC 3339). */
    CharSequence timestamp(Instant instant) {
        long second = instant.getEpochSecond();
        if (second != cachedSecond) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
            StringBuilder s = new StringBuilder(20);
            pad(s, t.getYear(), 4).append('-');
            pad(s, t.getMonthValue(), 2).append('-');
            pad(s, t.getDayOfMonth(), 2).append('T');
            pad(s, t.getHour(), 2).append(':');
            pad(s, t.getMinute(), 2).append(':');
            pad(s, t.getSecond(), 2).append('.');
            cachedSecondText = s.toString();
            cachedSecond = second;
        }
        scratch.setLength(0);
        scratch.append(cachedSecondText);
        pad(scratch, instant.getNano(), 9).append('Z');
        return scratch;
    }

    private static StringBuilder pad(StringBuilder s, int value, int digits) {
        String text = Integer.toString(value);
        for (int i = text.length(); i < digits; i++) {
            s.append('0');
        }
        return s.append(text);
    }

    /**
     * Root cause first (the line an operator needs), then each wrapper, as "Wrapped by: ...", each with at most
     * {@link #MAX_FRAMES_PER_THROWABLE} frames; suppressed exceptions are listed after their owner.
     */
    static String stackTrace(IThrowableProxy thrown) {
        List<IThrowableProxy> chain = new ArrayList<>();
        for (IThrowableProxy t = thrown; t != null && chain.size() < 64 && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        StringBuilder s = new StringBuilder(1024);
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (i != chain.size() - 1) {
                s.append("Wrapped by: ");
            }
            throwable(s, chain.get(i), "");
        }
        return s.toString();
    }

    private static void throwable(StringBuilder s, IThrowableProxy t, String indent) {
        s.append(t.getClassName());
        if (t.getMessage() != null) {
            s.append(": ").append(t.getMessage());
        }
        s.append('\n');
        StackTraceElementProxy[] frames = t.getStackTraceElementProxyArray();
        int shown = Math.min(frames.length, MAX_FRAMES_PER_THROWABLE);
        for (int i = 0; i < shown; i++) {
            s.append(indent)
                    .append("\tat ")
                    .append(frames[i].getStackTraceElement())
                    .append('\n');
        }
        if (frames.length > shown) {
            s.append(indent).append("\t... ").append(frames.length - shown).append(" more\n");
        }
        IThrowableProxy[] suppressed = t.getSuppressed();
        if (suppressed != null) {
            for (IThrowableProxy x : suppressed) {
                s.append(indent).append("\tSuppressed: ");
                throwable(s, x, indent + '\t');
            }
        }
    }
}
