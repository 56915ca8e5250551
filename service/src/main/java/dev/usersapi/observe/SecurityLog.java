package dev.usersapi.observe;

import static net.logstash.logback.marker.Markers.append;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes security events: one WARN line with {@code event}, {@code reason} and {@code route}; the request
 * fields come from the MDC. Never the Authorization header, a token or a request body.
 */
public final class SecurityLog {
    private static final Logger LOG = LoggerFactory.getLogger("users-api.security");

    public void event(SecurityEvent event, String reason, String route) {
        if (LOG.isWarnEnabled()) {
            LOG.warn(
                    append("event", event.label()).and(append("reason", reason)).and(append("route", route)),
                    "{}: {}",
                    event.label(),
                    reason);
        }
    }
}
