package dev.usersapi;

import io.helidon.common.Size;
import io.helidon.common.parameters.Parameters;
import io.helidon.service.registry.GlobalServiceRegistry;

/**
 * Builds Helidon's process-wide state on a second thread while {@link Main} reads the settings, opens the store and
 * registers the metrics, none of which touches Helidon. At start every line runs in the interpreter, and this state
 * was a third of the main thread's work (issue #13; docs/architecture.md, "Start-up"): the service registry's
 * discovery of the metadata in every jar, the mappers it provides, and BigDecimal's tables, which Helidon's
 * {@link Size} defaults need. The same idea as Spring Boot's BackgroundPreinitializer.
 *
 * <p>Main joins this thread before its own first use of Helidon, so no class is ever initialised by both threads at
 * once (two threads initialising classes that need each other would deadlock).
 */
final class HelidonWarmUp {
    private final Thread thread;

    private HelidonWarmUp(Thread thread) {
        this.thread = thread;
    }

    static HelidonWarmUp start() {
        return new HelidonWarmUp(
                Thread.ofPlatform().name("helidon-warm-up").daemon().start(HelidonWarmUp::run));
    }

    private static void run() {
        GlobalServiceRegistry.registry();
        Parameters.empty("warm-up");
        Size.parse("1 KB");
    }

    /** Waits until the shared state is built; a failure there will surface again on the main thread's own use. */
    void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
