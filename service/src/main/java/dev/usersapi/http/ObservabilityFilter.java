package dev.usersapi.http;

import dev.usersapi.config.TrustedProxies;
import dev.usersapi.lifecycle.Lifecycle;
import dev.usersapi.observe.AccessLog;
import dev.usersapi.observe.Metrics;
import dev.usersapi.observe.RequestContext;
import dev.usersapi.observe.Routes;
import dev.usersapi.observe.SecurityEvent;
import dev.usersapi.observe.SecurityLog;
import dev.usersapi.observe.SuspiciousRequests;
import dev.usersapi.observe.TracingHeaders;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Wraps every request on the API socket: request id and trace context into the MDC and the response,
 * in-flight gauge, duration histogram, one access log line, and suspicious-request detection.
 * While draining it asks clients to close their connection, so they reconnect to a pod that stays.
 */
public final class ObservabilityFilter implements Filter {
    private final Metrics metrics;
    private final AccessLog accessLog;
    private final SecurityLog securityLog;
    private final Lifecycle lifecycle;
    private final TrustedProxies trustedProxies;

    public ObservabilityFilter(
            Metrics metrics,
            AccessLog accessLog,
            SecurityLog securityLog,
            Lifecycle lifecycle,
            TrustedProxies trustedProxies) {
        this.trustedProxies = trustedProxies;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.securityLog = securityLog;
        this.lifecycle = lifecycle;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        RequestContext ctx = RequestContext.of(req, trustedProxies);
        ctx.putInMdc();
        res.header(TracingHeaders.X_REQUEST_ID, ctx.requestId());
        if (lifecycle.isDraining()) {
            res.header(HeaderNames.CONNECTION, "close");
        }
        metrics.requestStarted();
        try {
            chain.proceed();
        } finally {
            long duration = System.nanoTime() - start;
            String route = Routes.of(req);
            int status = res.status().code();
            SuspiciousRequests.reason(ctx.path(), ctx.userAgent())
                    .ifPresent(reason -> securityLog.event(SecurityEvent.SUSPICIOUS_REQUEST, reason, route));
            metrics.requestFinished(ctx.method(), route, status, duration);
            accessLog.request(ctx, route, status, duration);
            RequestContext.clearMdc();
        }
    }
}
