package dev.usersapi.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the PostgreSQL store connects and how long it may wait. Present only when {@code USERS_API_DB_URL}
 * is set; the password is never a setting, only the file that holds it (a mounted Secret, re-read on every
 * new connection so a rotated password is picked up without a restart).
 */
public record DatabaseSettings(
        String url, String user, Path passwordFile, int poolSize, Duration acquireTimeout, Duration statementTimeout) {

    /** Credentials inside the URL would end up in logs and process listings: refuse them. */
    private static final Pattern CREDENTIALS_IN_URL = Pattern.compile("(?i)([?&;](user|password)=)|(//[^/?]*@)");

    public DatabaseSettings {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new InvalidSettingException(
                    "USERS_API_DB_URL must be a JDBC URL starting with 'jdbc:postgresql:', got '" + url + "'");
        }
        if (CREDENTIALS_IN_URL.matcher(url).find()) {
            throw new InvalidSettingException("USERS_API_DB_URL must not carry credentials: set USERS_API_DB_USER and"
                    + " USERS_API_DB_PASSWORD_FILE instead");
        }
        if (user.isBlank()) {
            throw new InvalidSettingException("USERS_API_DB_USER must be set when USERS_API_DB_URL is");
        }
        if (!Files.isRegularFile(passwordFile) || !Files.isReadable(passwordFile)) {
            throw new InvalidSettingException(
                    "USERS_API_DB_PASSWORD_FILE must name a readable file, got '" + passwordFile + "'");
        }
        requireRange("USERS_API_DB_POOL_SIZE", poolSize, 1, 200);
        requireRange("USERS_API_DB_ACQUIRE_TIMEOUT_MS", acquireTimeout.toMillis(), 250, 60_000);
        requireRange("USERS_API_DB_STATEMENT_TIMEOUT_MS", statementTimeout.toMillis(), 100, 600_000);
    }

    /** Empty when {@code USERS_API_DB_URL} is unset or blank: the service then keeps users in memory. */
    public static Optional<DatabaseSettings> from(AppConfig config) {
        String url = config.get("users.api.db.url").orElse("").strip();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String passwordFile =
                config.get("users.api.db.password.file").orElse("").strip();
        if (passwordFile.isEmpty()) {
            throw new InvalidSettingException("USERS_API_DB_PASSWORD_FILE must be set when USERS_API_DB_URL is");
        }
        return Optional.of(new DatabaseSettings(
                url,
                config.get("users.api.db.user").orElse("").strip(),
                Path.of(passwordFile),
                Settings.intValue(config, "users.api.db.pool.size"),
                Duration.ofMillis(Settings.intValue(config, "users.api.db.acquire.timeout.ms")),
                Duration.ofMillis(Settings.intValue(config, "users.api.db.statement.timeout.ms"))));
    }

    public DatabaseSettings withPoolSize(int size) {
        return new DatabaseSettings(url, user, passwordFile, size, acquireTimeout, statementTimeout);
    }

    public DatabaseSettings withStatementTimeout(Duration timeout) {
        return new DatabaseSettings(url, user, passwordFile, poolSize, acquireTimeout, timeout);
    }

    private static void requireRange(String envName, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidSettingException(
                    String.format(Locale.ROOT, "%s must be between %d and %d, got %d", envName, min, max, value));
        }
    }
}
