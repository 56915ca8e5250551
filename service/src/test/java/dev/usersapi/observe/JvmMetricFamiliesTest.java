package dev.usersapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.BuildInfo;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every JVM and process family the JVM set registers, bar native memory, is there: the dashboards read them. */
class JvmMetricFamiliesTest {
    private final Set<String> families = new Metrics(BuildInfo.load(Instant.now()), () -> 0)
            .registry().scrape().stream()
                    .map(snapshot -> snapshot.getMetadata().getPrometheusName())
                    .collect(Collectors.toSet());

    @Test
    void theFamiliesTheDashboardsReadAreThere() {
        assertThat(families)
                .contains(
                        "jvm_memory_used_bytes",
                        "jvm_memory_max_bytes",
                        "jvm_threads_current",
                        "jvm_threads_daemon",
                        "jvm_gc_collection_seconds",
                        "jvm_classes_currently_loaded",
                        "jvm_compilation_time_seconds",
                        "jvm_buffer_pool_used_bytes",
                        "jvm_memory_pool_allocated_bytes",
                        "jvm_runtime",
                        "process_cpu_seconds",
                        "process_start_time_seconds",
                        "process_resident_memory_bytes");
    }
}
