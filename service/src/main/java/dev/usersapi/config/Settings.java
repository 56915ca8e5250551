package dev.usersapi.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

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

    private static final Pattern BOOLEAN = Pattern.compile("(?i)true|false"); // ASCII case only, as intended

    /** Reads the settings from the merged configuration (application.yaml overridden by the environment). */
    public static Settings from(AppConfig config) {
        String tokens = config.get("users.api.tokens.file").orElse("").strip();
        return new Settings(
                intValue(config, "http.port"),
                intValue(config, "admin.port"),
                config.get("server.host").orElse("0.0.0.0"),
                booleanValue(config, "server.tcp-no-delay", true),
                duration(config, "server.shutdown-grace-period", "PT5S"),
                tokens.isEmpty() ? Optional.empty() : Optional.of(Path.of(tokens)),
                Duration.ofSeconds(intValue(config, "users.api.drain.seconds")),
                intValue(config, "users.api.max.users"),
                intValue(config, "users.api.max.body.bytes"),
                intValue(config, "users.api.page.default"),
                intValue(config, "users.api.page.max"),
                ConnectionLimits.from(config),
                DatabaseSettings.from(config),
                trustedProxies(config.get("users.api.trusted.proxies").orElse("")));
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

    /** A whole number; the error names the environment variable that sets it. */
    static int intValue(AppConfig config, String key) {
        String raw = config.get(key).orElseThrow(() -> new InvalidSettingException(named(key) + " is not set"));
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(named(key) + " must be a whole number, got '" + raw + "'");
        }
    }

    private static boolean booleanValue(AppConfig config, String key, boolean unset) {
        String raw = config.get(key).orElse(Boolean.toString(unset)).strip();
        if (BOOLEAN.matcher(raw).matches()) {
            return Boolean.parseBoolean(raw);
        }
        throw new InvalidSettingException(named(key) + " must be true or false, got '" + raw + "'");
    }

    private static Duration duration(AppConfig config, String key, String unset) {
        String raw = config.get(key).orElse(unset).strip();
        try {
            return Duration.parse(raw);
        } catch (DateTimeParseException e) {
            throw new InvalidSettingException(
                    named(key) + " must be an ISO-8601 duration such as PT5S, got '" + raw + "'");
        }
    }

    /** "USERS_API_MAX_USERS (users.api.max.users)": the variable to set, and the key it overrides. */
    static String named(String key) {
        return AppConfig.environmentName(key) + " (" + key + ")";
    }

    private static void requireRange(String envName, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidSettingException(envName + " must be between " + min + " and " + max + ", got " + value);
        }
    }
}
