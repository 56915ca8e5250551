package dev.usersapi.store;

import dev.usersapi.config.Settings;
import java.time.Clock;

/** Chooses the store from the settings: PostgreSQL when a database is configured, else the in-memory one. */
public final class UserStores {
    private UserStores() {}

    public static UserStore open(Settings settings, Clock clock) {
        return settings.database()
                .<UserStore>map(db -> PostgresUserStore.start(db, clock))
                .orElseGet(() -> new InMemoryUserStore(settings.maxUsers(), clock));
    }
}
