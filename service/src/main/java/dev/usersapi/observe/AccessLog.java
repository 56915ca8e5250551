package dev.usersapi.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One INFO line per API request with {@code event=http_request}; the request fields come from the MDC. */
public final class AccessLog {
    static final String LOGGER_NAME = "users-api.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    public void request(RequestContext ctx, String route, int status, long durationNanos) {
        if (LOG.isInfoEnabled()) {
            double durationMs = Math.round(durationNanos / 1_000.0) / 1_000.0;
            // Key-value pairs of the event (SLF4J 2), written as JSON members by JsonLogLayout.
            LOG.atInfo()
                    .addKeyValue("event", "http_request")
                    .addKeyValue("route", route)
                    .addKeyValue("status", status)
                    .addKeyValue("duration_ms", durationMs)
                    // Concatenated here rather than "{} {} {}": the same text without parsing a pattern per request.
                    .log(ctx.method() + ' ' + ctx.path() + ' ' + status);
        }
    }
}
