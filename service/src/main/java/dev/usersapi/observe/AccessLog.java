package dev.usersapi.observe;

import static net.logstash.logback.marker.Markers.append;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One INFO line per API request with {@code event=http_request}; the request fields come from the MDC. */
public final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("users-api.access");

    public void request(RequestContext ctx, String route, int status, long durationNanos) {
        if (LOG.isInfoEnabled()) {
            double durationMs = Math.round(durationNanos / 1_000.0) / 1_000.0;
            LOG.info(
                    append("event", "http_request")
                            .and(append("route", route))
                            .and(append("status", status))
                            .and(append("duration_ms", durationMs)),
                    // Concatenated here rather than "{} {} {}": the same text without parsing a pattern per request.
                    ctx.method() + ' ' + ctx.path() + ' ' + status);
        }
    }
}
