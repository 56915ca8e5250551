package dev.usersapi;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Logging plumbing. Helidon logs through System.Logger, which slf4j-jdk-platform-logging routes to
 * logback; libraries that use java.util.logging directly are bridged here. Logback's own shutdown hook is
 * not used: it would race the drain, so the last lines ("stopped") could be lost. {@link #stop} flushes
 * the async appender as the very last step instead.
 */
public final class Logging {
    private Logging() {}

    public static void bridgeJul() {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    public static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
