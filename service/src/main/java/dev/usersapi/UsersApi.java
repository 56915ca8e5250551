package dev.usersapi;

import dev.usersapi.api.UsersService;
import dev.usersapi.auth.BearerAuthenticator;
import dev.usersapi.auth.ReloadingTokens;
import dev.usersapi.config.ConnectionLimits;
import dev.usersapi.config.Settings;
import dev.usersapi.http.AfterResponse;
import dev.usersapi.http.CaseSensitiveMethods;
import dev.usersapi.http.Entities;
import dev.usersapi.http.ErrorResponses;
import dev.usersapi.http.Fallbacks;
import dev.usersapi.http.ObservabilityFilter;
import dev.usersapi.http.ParserRejections;
import dev.usersapi.http.ReadTimeouts;
import dev.usersapi.http.ServiceInfoHandler;
import dev.usersapi.http.Transport;
import dev.usersapi.lifecycle.HealthChecksFactory;
import dev.usersapi.lifecycle.Lifecycle;
import dev.usersapi.observe.AccessLog;
import dev.usersapi.observe.Metrics;
import dev.usersapi.observe.MetricsEndpoint;
import dev.usersapi.observe.SecurityLog;
import dev.usersapi.store.UserStore;
import dev.usersapi.store.UserStores;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The application, wired by hand: settings → store, authentication, metrics, lifecycle → two sockets.
 * {@code http} serves the public API; {@code admin} serves health and metrics and is never exposed by
 * the Ingress. Main and the tests build the server through {@link #configure} so they run the same wiring.
 */
public final class UsersApi {
    public static final String ADMIN_SOCKET = "admin";
    /** How often a changed tokens file is noticed; the kubelet itself takes up to a minute to update it. */
    static final Duration TOKENS_RECHECK = Duration.ofSeconds(10);

    private final Settings settings;
    private final BuildInfo buildInfo;
    private final UserStore store;
    private final BearerAuthenticator authenticator;
    private final Lifecycle lifecycle = new Lifecycle();
    private final Metrics metrics;
    private final SecurityLog securityLog = new SecurityLog();
    private final AccessLog accessLog = new AccessLog();

    public UsersApi(Settings settings, BuildInfo buildInfo, UserStore store, BearerAuthenticator authenticator) {
        this.settings = settings;
        this.buildInfo = buildInfo;
        this.store = store;
        this.authenticator = authenticator;
        this.metrics = new Metrics(buildInfo, store::count);
        store.registerMetrics(metrics.registry());
    }

    /** The production wiring: the store the settings choose and the tokens file they name. */
    public static UsersApi create(Settings settings, BuildInfo buildInfo) {
        BearerAuthenticator authenticator = settings.tokensFile()
                .map(file -> new BearerAuthenticator(new ReloadingTokens(file, TOKENS_RECHECK, Clock.systemUTC())))
                .orElseGet(BearerAuthenticator::none);
        return new UsersApi(settings, buildInfo, UserStores.open(settings, Clock.systemUTC()), authenticator);
    }

    public void configure(WebServerConfig.Builder server) {
        ConnectionLimits limits = settings.connectionLimits();
        // Both sockets get the same limits; only the API socket's requests are counted (metrics contract).
        Transport.configure(
                server,
                WebServer.DEFAULT_SOCKET_NAME,
                limits,
                new ParserRejections(limits, Optional.of(metrics), accessLog, securityLog).handlers(),
                new ReadTimeouts(limits.headerTimeout(), limits.bodyTimeout(), Optional.of(metrics), securityLog));
        DirectHandlers adminRejections =
                new ParserRejections(limits, Optional.empty(), accessLog, securityLog).handlers();
        ReadTimeouts adminTimeouts =
                new ReadTimeouts(limits.headerTimeout(), limits.bodyTimeout(), Optional.empty(), securityLog);
        server.host(settings.host())
                .port(settings.httpPort())
                .connectionOptions(o -> o.tcpNoDelay(settings.tcpNoDelay()))
                .shutdownGracePeriod(settings.shutdownGracePeriod())
                // Main drains before stopping; Helidon's own hook would stop at once on SIGTERM.
                .shutdownHook(false)
                .routing(this::apiRouting)
                .putSocket(
                        ADMIN_SOCKET,
                        socket -> socket.host(settings.host())
                                .port(settings.adminPort())
                                .connectionOptions(o -> o.tcpNoDelay(settings.tcpNoDelay()))
                                .shutdownGracePeriod(settings.shutdownGracePeriod())
                                .update(admin -> Transport.configure(
                                        admin, ADMIN_SOCKET, limits, adminRejections, adminTimeouts)))
                .routing(ADMIN_SOCKET, this::adminRouting)
                .addFeature(ObserveFeature.builder()
                        .endpoint("/")
                        .sockets(List.of(ADMIN_SOCKET))
                        .observersDiscoverServices(false)
                        .addObserver(HealthObserver.builder()
                                .details(true)
                                .useSystemServices(false)
                                .addHealthChecks(HealthChecksFactory.create(lifecycle, store))
                                .build())
                        .build());
    }

    private void apiRouting(HttpRouting.Builder routing) {
        ServiceInfoHandler serviceInfo = new ServiceInfoHandler(buildInfo);
        routing.addFilter(new AfterResponse());
        routing.addFilter(
                new ObservabilityFilter(metrics, accessLog, securityLog, lifecycle, settings.trustedProxies()));
        routing.addFilter(CaseSensitiveMethods.filter());
        new ErrorResponses(metrics, securityLog).register(routing);
        Entities.getAndHead(routing, "/", serviceInfo);
        routing.any("/", Fallbacks.methodNotAllowed("GET, HEAD"))
                .register(UsersService.PATH, new UsersService(store, authenticator, settings))
                .any(Fallbacks.notFound());
    }

    private void adminRouting(HttpRouting.Builder routing) {
        MetricsEndpoint endpoint = new MetricsEndpoint(metrics.registry());
        routing.addFilter(new AfterResponse());
        routing.addFilter(CaseSensitiveMethods.tracking());
        routing.get("/metrics", endpoint::handle);
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    public Settings settings() {
        return settings;
    }

    public BearerAuthenticator authenticator() {
        return authenticator;
    }

    public UserStore store() {
        return store;
    }
}
