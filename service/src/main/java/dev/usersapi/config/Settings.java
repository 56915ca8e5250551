package dev.usersapi.config;

import io.helidon.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The service's own settings, read once at start and validated so that a bad value fails the start
 * with the name of the environment variable to fix, instead of misbehaving later.
 */
public record Settings(
        int httpPort,
        int adminPort,
        String host,
        boolean tcpNoDelay,
        Duration shutdownGracePeriod,
        Optional<Path> tokensFile,
        Duration drainPeriod,
        int maxUsers,
        int maxBodyBytes,
        int defaultPageSize,
        int maxPageSize,
        ConnectionLimits connectionLimits,
        Optional<DatabaseSettings> database,
        TrustedProxies trustedProxies) {

    public Settings {
        requireRange("HTTP_PORT", httpPort, 0, 65535);
        requireRange("ADMIN_PORT", adminPort, 0, 65535);
        if (httpPort != 0 && httpPort == adminPort) {
            throw new InvalidSettingException("HTTP_PORT and ADMIN_PORT must differ, both are " + httpPort);
        }
        if (drainPeriod.isNegative()) {
            throw new InvalidSettingException(
                    "USERS_API_DRAIN_SECONDS must be 0 or more, got " + drainPeriod.toSeconds());
        }
        requireRange("USERS_API_MAX_USERS", maxUsers, 1, 10_000_000);
        requireRange("USERS_API_MAX_BODY_BYTES", maxBodyBytes, 64, 16 * 1024 * 1024);
        requireRange("USERS_API_PAGE_MAX", maxPageSize, 1, 10_000);
        requireRange("USERS_API_PAGE_DEFAULT", defaultPageSize, 1, maxPageSize);
    }

    /** Reads the settings from the merged configuration (application.yaml overridden by the environment). */
    public static Settings from(Config config) {
        Config api = config.get("users.api");
        String tokens = api.get("tokens.file").asString().orElse("").strip();
        return new Settings(
                intValue(config, "http.port", "HTTP_PORT"),
                intValue(config, "admin.port", "ADMIN_PORT"),
                config.get("server.host").asString().orElse("0.0.0.0"),
                config.get("server.tcp-no-delay").asBoolean().orElse(true),
                Duration.parse(
                        config.get("server.shutdown-grace-period").asString().orElse("PT5S")),
                tokens.isEmpty() ? Optional.empty() : Optional.of(Path.of(tokens)),
                Duration.ofSeconds(intValue(config, "users.api.drain.seconds", "USERS_API_DRAIN_SECONDS")),
                intValue(config, "users.api.max.users", "USERS_API_MAX_USERS"),
                intValue(config, "users.api.max.body.bytes", "USERS_API_MAX_BODY_BYTES"),
                intValue(config, "users.api.page.default", "USERS_API_PAGE_DEFAULT"),
                intValue(config, "users.api.page.max", "USERS_API_PAGE_MAX"),
                ConnectionLimits.from(config),
                DatabaseSettings.from(config),
                trustedProxies(
                        config.get("users.api.trusted.proxies").asString().orElse("")));
    }

    /** A copy listening on ephemeral ports with no drain: what tests and benchmarks start. */
    public Settings withEphemeralPorts() {
        return new Settings(
                0,
                0,
                "127.0.0.1",
                tcpNoDelay,
                shutdownGracePeriod,
                tokensFile,
                Duration.ZERO,
                maxUsers,
                maxBodyBytes,
                defaultPageSize,
                maxPageSize,
                connectionLimits,
                database,
                trustedProxies);
    }

    public Settings withTokensFile(Path file) {
        return new Settings(
                httpPort,
                adminPort,
                host,
                tcpNoDelay,
                shutdownGracePeriod,
                Optional.of(file),
                drainPeriod,
                maxUsers,
                maxBodyBytes,
                defaultPageSize,
                maxPageSize,
                connectionLimits,
                database,
                trustedProxies);
    }

    public Settings withMaxUsers(int max) {
        return new Settings(
                httpPort,
                adminPort,
                host,
                tcpNoDelay,
                shutdownGracePeriod,
                tokensFile,
                drainPeriod,
                max,
                maxBodyBytes,
                defaultPageSize,
                maxPageSize,
                connectionLimits,
                database,
                trustedProxies);
    }

    /** A copy on the given database (empty: the in-memory store). */
    public Settings withDatabase(Optional<DatabaseSettings> db) {
        return new Settings(
                httpPort,
                adminPort,
                host,
                tcpNoDelay,
                shutdownGracePeriod,
                tokensFile,
                drainPeriod,
                maxUsers,
                maxBodyBytes,
                defaultPageSize,
                maxPageSize,
                connectionLimits,
                db,
                trustedProxies);
    }

    public Settings withConnectionLimits(ConnectionLimits limits) {
        return new Settings(
                httpPort,
                adminPort,
                host,
                tcpNoDelay,
                shutdownGracePeriod,
                tokensFile,
                drainPeriod,
                maxUsers,
                maxBodyBytes,
                defaultPageSize,
                maxPageSize,
                limits,
                database,
                trustedProxies);
    }

    /** A copy that believes forwarded client addresses from these peers. */
    public Settings withTrustedProxies(TrustedProxies proxies) {
        return new Settings(
                httpPort,
                adminPort,
                host,
                tcpNoDelay,
                shutdownGracePeriod,
                tokensFile,
                drainPeriod,
                maxUsers,
                maxBodyBytes,
                defaultPageSize,
                maxPageSize,
                connectionLimits,
                database,
                proxies);
    }

    private static TrustedProxies trustedProxies(String list) {
        try {
            return TrustedProxies.parse(list);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(
                    "USERS_API_TRUSTED_PROXIES (users.api.trusted.proxies): " + e.getMessage());
        }
    }

    static int intValue(Config config, String key, String envName) {
        String raw = config.get(key)
                .asString()
                .orElseThrow(() -> new InvalidSettingException(envName + " (" + key + ") is not set"));
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(envName + " (" + key + ") must be a whole number, got '" + raw + "'");
        }
    }

    private static void requireRange(String envName, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidSettingException(envName + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
