package dev.usersapi.observe;

import dev.usersapi.BuildInfo;
import dev.usersapi.auth.AuthFailureReason;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Every metric the service exposes, in its own registry (never the global default, so tests and two
 * servers in one JVM do not collide). Names and labels are a contract with the dashboards and alert
 * rules under monitoring/: change them only together.
 */
public final class Metrics {
    /** The methods of RFC 9110 (and PATCH): the {@code method} label takes these, anything else is {@code other}. */
    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

    public static final String OTHER_METHOD = "other";

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
                .callback(cb -> cb.call((double) storedUsers.getAsLong()))
                .register(registry);
        Info buildInfoMetric = Info.builder()
                .name("users_api_build_info")
                .help("Version and git revision of the running build; always 1")
                .labelNames("version", "revision")
                .register(registry);
        buildInfoMetric.addLabelValues(buildInfo.version(), buildInfo.revision());
        // Read on each scrape from the log appender, which exists before this registry (DroppedLogEvents).
        CounterWithCallback.builder()
                .name("users_api_log_events_dropped_total")
                .help("Log events dropped instead of making a request wait, because the log queue was full,"
                        + " by kind of logger")
                .labelNames("logger")
                .callback(cb -> {
                    for (DroppedLogEvents.Kind kind : DroppedLogEvents.Kind.values()) {
                        cb.call((double) DroppedLogEvents.count(kind), kind.label());
                    }
                })
                .register(registry);
        registerJvmMetrics(registry);
    }

    /**
     * JvmMetrics' set without JvmNativeMemoryMetrics: it asks the DiagnosticCommand MBean for a native memory
     * summary, which costs about 30 ms of start-up and yields no series unless -XX:NativeMemoryTracking is on
     * (never in the image).
     */
    private static void registerJvmMetrics(PrometheusRegistry registry) {
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryPoolAllocationMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public void requestStarted() {
        inFlight.inc();
    }

    public void requestFinished(String method, String route, int status, long durationNanos) {
        inFlight.dec();
        requestDuration
                .labelValues(methodLabel(method), route, Integer.toString(status))
                .observe(durationNanos / 1e9);
    }

    /**
     * A request Helidon refused while parsing, before routing (no in-flight count): counted like any other so
     * that floods of malformed requests show on the dashboards.
     */
    public void requestRejected(String method, int status) {
        requestDuration
                .labelValues(methodLabel(method), Routes.UNMATCHED, Integer.toString(status))
                .observe(0);
    }

    /**
     * Every label value comes from a closed set: a client choosing its method must not choose how many series
     * Prometheus stores, nor how much heap the registry and a scrape need. Case-sensitive (RFC 9110 §9.1).
     */
    public static String methodLabel(String method) {
        return method != null && METHODS.contains(method) ? method : OTHER_METHOD;
    }

    public void authFailure(AuthFailureReason reason) {
        authFailures.labelValues(reason.label()).inc();
    }
}
