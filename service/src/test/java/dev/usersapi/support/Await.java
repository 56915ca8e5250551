package dev.usersapi.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition instead of sleeping a guessed time: returns as soon as it holds, fails with what was
 * awaited and what was seen once the deadline passes. Deadlines are generous (a busy 2-core machine must not
 * fail them); a figure a test asserts on is measured separately, not inferred from the deadline.
 */
public final class Await {
    private static final long POLL_MILLIS = 10;

    private Await() {}

    /** Polls {@code condition} until it holds; returns how long that took. */
    public static Duration until(String what, Duration deadline, BooleanSupplier condition) {
        return until(what, deadline, condition, () -> "");
    }

    /** As {@link #until(String, Duration, BooleanSupplier)}; {@code seen} describes the state in the failure. */
    public static Duration until(String what, Duration deadline, BooleanSupplier condition, Supplier<String> seen) {
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                String state = seen.get();
                throw new AssertionError(
                        "not reached within " + deadline + ": " + what + (state.isEmpty() ? "" : " (" + state + ")"));
            }
            ServiceProcess.sleep(POLL_MILLIS);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
