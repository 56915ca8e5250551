package dev.usersapi;

import dev.usersapi.config.AppConfig;
import dev.usersapi.config.Settings;
import dev.usersapi.lifecycle.GracefulShutdown;
import io.helidon.webserver.WebServer;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts users-api: configuration, application, server, graceful shutdown. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Instant started = Instant.now();
        Logging.bridgeJul();
        Logger log = LoggerFactory.getLogger(Main.class);
        // After logging is set up: Helidon logs while it starts, and slf4j would otherwise replay those lines
        // with a warning on stderr.
        HelidonWarmUp helidon = HelidonWarmUp.start();
        try {
            Settings settings = Settings.from(AppConfig.load());
            UsersApi app = UsersApi.create(settings, BuildInfo.load(started));
            helidon.join();
            WebServer server =
                    WebServer.builder().update(app::configure).build().start();
            new GracefulShutdown(app.lifecycle(), server, settings.drainPeriod(), app.store()::close, Logging::stop)
                    .install();
            app.lifecycle().ready();
            if (app.authenticator().tokenCount() == 0) {
                log.warn("no tokens configured (USERS_API_TOKENS_FILE): every create and delete will be refused");
            }
            log.info(
                    "users-api started in {} ms: http on port {}, admin on port {}",
                    Duration.between(started, Instant.now()).toMillis(),
                    server.port(),
                    server.port(UsersApi.ADMIN_SOCKET));
        } catch (RuntimeException e) {
            log.error("users-api cannot start: {}", e.getMessage(), e);
            Logging.stop();
            System.exit(1);
        }
    }
}
