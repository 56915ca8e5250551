package dev.usersapi.support;

import dev.usersapi.config.DatabaseSettings;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a fresh PostgreSQL database on the JVM's throwaway server. Register it as a static
 * field ({@code @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension()});
 * {@link #database()} may be called before the extension's own callback runs (from another extension or a
 * static initialiser), so the database is made on first use.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private DatabaseSettings database;

    public PostgresExtension(Class<?> testClass) {
        this.name = "t_" + testClass.getSimpleName();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        database = null;
    }

    public synchronized DatabaseSettings database() {
        if (database == null) {
            database = TestPostgres.server().freshDatabase(name);
        }
        return database;
    }

    public TestPostgres server() {
        return TestPostgres.server();
    }
}
