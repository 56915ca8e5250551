package dev.usersapi.observe;

import java.util.function.LongSupplier;

import dev.usersapi.BuildInfo;
import dev.usersapi.auth.AuthFailureReason;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * Every metric the service exposes, in its own registry (never the global default, so tests and two
 * servers in one JVM do not collide). Names and labels are a contract with the dashboards and alert
 * rules under monitoring/: change them only together.
 */
public final class Metrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram requestDuration;
    private final Gauge inFlight;
    private final Counter authFailures;

    public Metrics(BuildInfo buildInfo, LongSupplier storedUsers) {
        requestDuration = Histogram.builder()
                .name("http_request_duration_seconds")
                .help("Duration of HTTP requests to the API socket, by method, route template and status code")
                .unit(Unit.SECONDS)
                .labelNames("method", "route", "status")
                // Classic buckets only: the text formats cannot carry native histograms anyway, and fixed
                // buckets keep memory per series predictable.
                .classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        inFlight = Gauge.builder()
                .name("http_requests_in_flight")
                .help("HTTP requests to the API socket being served right now")
                .register(registry);
        authFailures = Counter.builder()
                .name("users_api_auth_failures_total")
                .help("Requests refused by authentication (401) or authorisation (403), by reason")
                .labelNames("reason")
                .register(registry);
        // Start every reason at 0 so rate() and increase() see the first failure, not just later ones.
        for (AuthFailureReason reason : AuthFailureReason.values()) {
            authFailures.labelValues(reason.label());
        }
        GaugeWithCallback.builder()
                .name("users_api_users")
                .help("Users currently stored")
                .callback(cb -> cb.call(storedUsers.getAsLong()))
                .register(registry);
        Info buildInfoMetric = Info.builder()
                .name("users_api_build_info")
                .help("Version and git revision of the running build; always 1")
                .labelNames("version", "revision")
                .register(registry);
        buildInfoMetric.addLabelValues(buildInfo.version(), buildInfo.revision());
        JvmMetrics.builder().register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public void requestStarted() {
        inFlight.inc();
    }

    public void requestFinished(String method, String route, int status, long durationNanos) {
        inFlight.dec();
        requestDuration.labelValues(method, route, Integer.toString(status)).observe(durationNanos / 1e9);
    }

    public void authFailure(AuthFailureReason reason) {
        authFailures.labelValues(reason.label()).inc();
    }
}
