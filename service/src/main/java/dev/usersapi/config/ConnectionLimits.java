package dev.usersapi.config;

import java.time.Duration;

/**
 * What one client may hold of the server, the same on both sockets: connections, time to send a request, and
 * header bytes. Sized against the pod's heap (docs/architecture.md, "Connection limits"): without a cap each idle
 * connection costs heap until the JVM runs out.
 *
 * @param maxConnections connections served at once per socket; further ones wait in the kernel's accept queue
 * @param idleTimeout    how long a connection may stay open without a request (also the wait for the first one)
 * @param headerTimeout  from the request line to the end of the headers
 * @param bodyTimeout    from the end of the headers until the request body has been read
 * @param maxHeaderBytes size of all request header lines together; larger answers 431
 */
public record ConnectionLimits(
        int maxConnections, Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout, int maxHeaderBytes) {

    public ConnectionLimits {
        requireRange("USERS_API_MAX_CONNECTIONS", maxConnections, 1, 100_000);
        requireSeconds("USERS_API_IDLE_TIMEOUT_SECONDS", idleTimeout);
        requireSeconds("USERS_API_HEADER_TIMEOUT_SECONDS", headerTimeout);
        requireSeconds("USERS_API_BODY_TIMEOUT_SECONDS", bodyTimeout);
        requireRange("USERS_API_MAX_HEADER_BYTES", maxHeaderBytes, 1024, 1024 * 1024);
    }

    static ConnectionLimits from(AppConfig config) {
        return new ConnectionLimits(
                Settings.intValue(config, "users.api.max.connections"),
                seconds(config, "users.api.idle.timeout.seconds"),
                seconds(config, "users.api.header.timeout.seconds"),
                seconds(config, "users.api.body.timeout.seconds"),
                Settings.intValue(config, "users.api.max.header.bytes"));
    }

    private static Duration seconds(AppConfig config, String key) {
        return Duration.ofSeconds(Settings.intValue(config, key));
    }

    private static void requireSeconds(String envName, Duration value) {
        // Helidon checks idle connections once a second: a shorter timeout would not be honoured.
        if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidSettingException(
                    envName + " must be between 1 and 3600 seconds, got " + value.toSeconds());
        }
    }

    private static void requireRange(String envName, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidSettingException(envName + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
