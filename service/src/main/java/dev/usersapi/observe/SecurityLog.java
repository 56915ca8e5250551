package dev.usersapi.observe;

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
            LOG.atWarn()
                    .addKeyValue("event", event.label())
                    .addKeyValue("reason", reason)
                    .addKeyValue("route", route)
                    .log(event.label() + ": " + reason);
        }
    }
}
