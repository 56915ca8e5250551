package dev.usersapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonLogConfiguratorTest {
    @Test
    void theQueueSizeComesFromTheEnvironmentWithinBounds() {
        assertThat(JsonLogConfigurator.queueSize(null)).isEqualTo(JsonLogConfigurator.DEFAULT_QUEUE_SIZE);
        assertThat(JsonLogConfigurator.queueSize(" ")).isEqualTo(JsonLogConfigurator.DEFAULT_QUEUE_SIZE);
        assertThat(JsonLogConfigurator.queueSize(" 64 ")).isEqualTo(64);
        assertThat(JsonLogConfigurator.queueSize("20000")).isEqualTo(20_000);
    }

    @Test
    void aBadQueueSizeFallsBackToTheDefault() {
        for (String bad : new String[] {"63", "0", "-1", "1000001", "8k", "1e4"}) {
            assertThat(JsonLogConfigurator.queueSize(bad)).as(bad).isEqualTo(JsonLogConfigurator.DEFAULT_QUEUE_SIZE);
        }
    }
}
