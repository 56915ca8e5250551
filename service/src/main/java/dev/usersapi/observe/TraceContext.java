package dev.usersapi.observe;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The W3C trace context of a request: trace id and span id from a valid {@code traceparent} header
 * (version 00 format), or freshly generated ones so every log line can still be correlated.
 */
public record TraceContext(String traceId, String spanId) {
    private static final Pattern TRACEPARENT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    public static TraceContext fromHeader(Optional<String> traceparent) {
        return traceparent.flatMap(TraceContext::parse).orElseGet(TraceContext::generate);
    }

    static Optional<TraceContext> parse(String header) {
        var m = TRACEPARENT.matcher(header.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String version = m.group(1);
        // Version ff is forbidden; version 00 must not carry trailing fields; all-zero ids are invalid.
        if (version.equals("ff")
                || (version.equals("00") && m.group(5) != null)
                || m.group(2).equals(ZERO_TRACE)
                || m.group(3).equals(ZERO_SPAN)) {
            return Optional.empty();
        }
        return Optional.of(new TraceContext(m.group(2), m.group(3)));
    }

    static TraceContext generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        String trace = hex.toHexDigits(random.nextLong() | 1L) + hex.toHexDigits(random.nextLong());
        String span = hex.toHexDigits(random.nextLong() | 1L);
        return new TraceContext(trace, span);
    }
}
