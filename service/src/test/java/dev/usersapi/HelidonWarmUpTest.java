package dev.usersapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.service.registry.GlobalServiceRegistry;
import org.junit.jupiter.api.Test;

class HelidonWarmUpTest {
    @Test
    void joinReturnsOnceHelidonsSharedStateIsBuilt() {
        HelidonWarmUp.start().join();
        assertThat(GlobalServiceRegistry.configured()).isTrue();
    }

    @Test
    void anInterruptedJoinReturnsAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        try {
            HelidonWarmUp.start().join();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
