package dev.usersapi.lifecycle;

import dev.usersapi.observe.ServerStopNoiseFilter;
import io.helidon.webserver.WebServer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On SIGTERM: readiness goes DOWN at once, the server keeps serving for the drain period (so the
 * endpoints controller and load balancers stop sending new traffic first), then stops, letting
 * in-flight exchanges finish within the shutdown grace period, then releases what the requests used (the
 * database pool) before logging "stopped". Runs as a JVM shutdown hook.
 */
public final class GracefulShutdown implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

    private final Lifecycle lifecycle;
    private final WebServer server;
    private final Duration drainPeriod;
    private final Runnable releaseResources;
    private final Runnable afterStop;

    public GracefulShutdown(
            Lifecycle lifecycle,
            WebServer server,
            Duration drainPeriod,
            Runnable releaseResources,
            Runnable afterStop) {
        this.lifecycle = lifecycle;
        this.server = server;
        this.drainPeriod = drainPeriod;
        this.releaseResources = releaseResources;
        this.afterStop = afterStop;
    }

    public void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(this, "graceful-shutdown"));
    }

    @Override
    public void run() {
        try {
            if (lifecycle.startDraining()) {
                LOG.info(
                        "shutdown requested: readiness is DOWN, serving for the drain period of {} s",
                        drainPeriod.toSeconds());
                sleep(drainPeriod);
                ServerStopNoiseFilter.serverStopping();
                server.stop();
                releaseResources.run();
                lifecycle.stopped();
                int refused = ServerStopNoiseFilter.refusedWhileStopping();
                if (refused > 0) {
                    LOG.info("{} connection(s) arrived while the server was stopping and were closed", refused);
                }
                LOG.info("stopped");
            }
        } finally {
            afterStop.run();
        }
    }

    private static void sleep(Duration period) {
        try {
            Thread.sleep(period);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
