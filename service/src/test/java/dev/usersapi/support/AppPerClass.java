package dev.usersapi.support;

import dev.usersapi.UsersApi;
import dev.usersapi.config.Settings;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RunningApp} for a whole test class, started before its first test and stopped after its last:
 * {@code @RegisterExtension static final AppPerClass APP = AppPerClass.inMemory();}. The app is started,
 * not ready; tests that need readiness declare it.
 */
public final class AppPerClass implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<RunningApp> starter;
    private RunningApp running;

    private AppPerClass(Supplier<RunningApp> starter) {
        this.starter = starter;
    }

    /** On the in-memory store with the test settings. */
    public static AppPerClass inMemory() {
        return of(TestApps::settings);
    }

    public static AppPerClass of(Supplier<Settings> settings) {
        return new AppPerClass(() -> RunningApp.start(settings.get()));
    }

    /** On the PostgreSQL store, a fresh database named after {@code testClass} on the JVM's throwaway server. */
    public static AppPerClass onPostgres(Class<?> testClass) {
        return new AppPerClass(
                () -> RunningApp.startOn(TestPostgres.server().freshDatabase("t_" + testClass.getSimpleName())));
    }

    /** On a PostgreSQL store that never answers: every store call is a 503. */
    public static AppPerClass unavailable() {
        return new AppPerClass(RunningApp::startUnavailable);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running = starter.get();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    public RunningApp running() {
        if (running == null) {
            throw new IllegalStateException("the app runs from beforeAll to afterAll of its test class");
        }
        return running;
    }

    public UsersApi app() {
        return running().app();
    }

    public int port() {
        return running().port();
    }

    public RawHttp http() {
        return running().http();
    }

    public RawHttp admin() {
        return running().admin();
    }
}
