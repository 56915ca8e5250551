package dev.usersapi.store;

import com.zaxxer.hikari.HikariPoolMXBean;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;

/**
 * The PostgreSQL store's metrics (a contract with monitoring/, recorded in docs/architecture.md). Built with
 * the store so its operations can be timed from the first call; registered into the service's registry by
 * {@link UserStore#registerMetrics}.
 */
final class DatabaseMetrics {
    static final List<String> OPERATIONS = List.of("create", "find", "list", "delete", "count", "migrate");

    private final Histogram queryDuration;
    private final Counter unavailable;
    private final GaugeWithCallback poolConnections;
    private final GaugeWithCallback poolMax;

    DatabaseMetrics(HikariPoolMXBean pool, int maxConnections) {
        queryDuration = Histogram.builder()
                .name("users_api_db_query_duration_seconds")
                .help("Duration of the PostgreSQL store's operations, connection acquisition included, by operation")
                .unit(Unit.SECONDS)
                .labelNames("operation")
                .classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .build();
        for (String operation : OPERATIONS) {
            queryDuration.labelValues(operation);
        }
        unavailable = Counter.builder()
                .name("users_api_db_unavailable_total")
                .help("Requests answered 503 because the database was unavailable")
                .build();
        poolConnections = GaugeWithCallback.builder()
                .name("users_api_db_pool_connections")
                .help("Connections of the database pool by state; pending counts requests waiting for one")
                .labelNames("state")
                .callback(cb -> {
                    cb.call(pool.getActiveConnections(), "active");
                    cb.call(pool.getIdleConnections(), "idle");
                    cb.call(pool.getThreadsAwaitingConnection(), "pending");
                })
                .build();
        poolMax = GaugeWithCallback.builder()
                .name("users_api_db_pool_max_connections")
                .help("Largest number of connections the database pool opens")
                .callback(cb -> cb.call(maxConnections))
                .build();
    }

    void register(PrometheusRegistry registry) {
        registry.register(queryDuration);
        registry.register(unavailable);
        registry.register(poolConnections);
        registry.register(poolMax);
    }

    void observe(String operation, long startedNanos) {
        queryDuration.labelValues(operation).observe((System.nanoTime() - startedNanos) / 1e9);
    }

    void unavailable() {
        unavailable.inc();
    }
}
