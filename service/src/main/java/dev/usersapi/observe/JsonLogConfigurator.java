package dev.usersapi.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.usersapi.BuildInfo;

/**
 * The log contract in code: one JSON object per line on stdout with the field names that Loki queries
 * and the dashboards read (docs/architecture.md). Configured programmatically because parsing an XML
 * configuration costs about a quarter of a second of every start. An operator who wants another setup
 * passes {@code -Dlogback.configurationFile=...} (e.g. in JAVA_TOOL_OPTIONS) and that file wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class JsonLogConfigurator extends ContextAwareBase implements Configurator {
    static final String LEVEL_ENV = "LOG_LEVEL";
    static final String HELIDON_LEVEL_ENV = "HELIDON_LOG_LEVEL";
    static final String QUEUE_SIZE_ENV = "LOG_QUEUE_SIZE";
    /**
     * Events the log queue holds (about 1 KiB of heap each while queued). It has to cover the writer thread's wait
     * for a CPU on a busy node: at 16k requests/s a 100 ms wait is 1,600 access lines.
     */
    static final int DEFAULT_QUEUE_SIZE = 8192;

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // Requests never wait on stdout and never on a full queue: the appender drops and counts instead
        // (NonBlockingAppender: its drop policy, and the metric users_api_log_events_dropped_total).
        NonBlockingAppender appender = new NonBlockingAppender(
                System.out,
                new JsonLogLayout(
                        BuildInfo.SERVICE_NAME,
                        BuildInfo.load(java.time.Instant.EPOCH).version()));
        appender.setContext(context);
        appender.setName("JSON");
        appender.setCapacity(queueSize(System.getenv(QUEUE_SIZE_ENV)));
        ServerStopNoiseFilter stopNoise = new ServerStopNoiseFilter();
        stopNoise.setContext(context);
        stopNoise.start();
        appender.addFilter(stopNoise);
        appender.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(level(LEVEL_ENV, Level.INFO));
        context.getLogger("io.helidon").setLevel(level(HELIDON_LEVEL_ENV, Level.WARN));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The log queue's capacity from the environment; a value that is not a number from 64 up is reported. */
    static int queueSize(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_QUEUE_SIZE;
        }
        try {
            int size = Integer.parseInt(value.strip());
            if (size >= 64 && size <= 1_000_000) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println("users-api: " + QUEUE_SIZE_ENV + "='" + value
                + "' is not a number of events from 64 to 1000000; using " + DEFAULT_QUEUE_SIZE);
        return DEFAULT_QUEUE_SIZE;
    }

    /** The level named by an environment variable; an unknown name is reported and the default used. */
    private Level level(String env, Level fallback) {
        String value = System.getenv(env);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Level level = Level.toLevel(value.strip(), null);
        if (level == null) {
            // Not addWarn: a warning status makes logback print its whole status list as text on stdout.
            System.err.println("users-api: " + env + "='" + value
                    + "' is not a log level (TRACE, DEBUG, INFO, WARN, ERROR, OFF); using " + fallback);
            return fallback;
        }
        return level;
    }
}
