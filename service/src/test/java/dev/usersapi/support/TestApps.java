package dev.usersapi.support;

import dev.usersapi.BuildInfo;
import dev.usersapi.UsersApi;
import dev.usersapi.config.AppConfig;
import dev.usersapi.config.DatabaseSettings;
import dev.usersapi.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Builds the application exactly as Main does, on ephemeral loopback ports with the test tokens. */
public final class TestApps {
    private TestApps() {}

    public static Settings settings() {
        try {
            Path dir = Files.createTempDirectory("users-api-test");
            return Settings.from(AppConfig.load()).withEphemeralPorts().withTokensFile(TestTokens.writeTokensFile(dir));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static UsersApi app(Settings settings) {
        return UsersApi.create(settings, BuildInfo.load(Instant.now()));
    }

    /** The application on the PostgreSQL store, returned once its schema is migrated. */
    public static UsersApi appOn(DatabaseSettings database) {
        UsersApi app = app(settings().withDatabase(Optional.of(database)));
        awaitStoreUp(app, Duration.ofSeconds(30));
        return app;
    }

    public static void awaitStoreUp(UsersApi app, Duration timeout) {
        Await.until(
                "store up",
                timeout,
                () -> app.store().health().up(),
                () -> app.store().health().detail());
    }
}
