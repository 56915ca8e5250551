package dev.usersapi.lifecycle;

import dev.usersapi.store.StoreHealth;
import dev.usersapi.store.UserStore;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.health.checks.HealthChecks;
import java.util.List;

/**
 * The health checks behind /health/*:
 * readiness = lifecycle READY and the store can serve; liveness = no deadlocked threads (nothing external,
 * so a slow dependency never gets the pod restarted); startup = the server has finished starting.
 */
public final class HealthChecksFactory {
    private HealthChecksFactory() {}

    public static List<HealthCheck> create(Lifecycle lifecycle, UserStore store) {
        return List.of(
                check("lifecycle", HealthCheckType.READINESS, () -> {
                    Lifecycle.State state = lifecycle.state();
                    return HealthCheckResponse.builder()
                            .status(state == Lifecycle.State.READY)
                            .detail("state", state.name().toLowerCase(java.util.Locale.ROOT))
                            .build();
                }),
                check("store", HealthCheckType.READINESS, () -> {
                    StoreHealth health = store.health();
                    return HealthCheckResponse.builder()
                            .status(health.up())
                            .detail("store", health.detail())
                            .build();
                }),
                check(
                        "started",
                        HealthCheckType.STARTUP,
                        () -> HealthCheckResponse.builder()
                                .status(lifecycle.state() != Lifecycle.State.STARTING)
                                .build()),
                HealthChecks.deadlockCheck());
    }

    private static HealthCheck check(
            String name, HealthCheckType type, java.util.function.Supplier<HealthCheckResponse> call) {
        return new HealthCheck() {
            @Override
            public HealthCheckType type() {
                return type;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public HealthCheckResponse call() {
                return call.get();
            }
        };
    }
}
