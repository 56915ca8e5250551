package dev.usersapi.observe;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.usersapi.BuildInfo;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import net.logstash.logback.stacktrace.ShortenedThrowableConverter;

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

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("JSON");
        console.setEncoder(encoder(context));
        console.start();

        // Requests never wait on stdout. discardingThreshold 0: never drop INFO lines when the queue fills;
        // neverBlock false: under a burst, slow a request down rather than lose its access line.
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("ASYNC");
        async.setQueueSize(1024);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(false);
        async.setMaxFlushTime(2000);
        async.addAppender(console);
        ServerStopNoiseFilter stopNoise = new ServerStopNoiseFilter();
        stopNoise.setContext(context);
        stopNoise.start();
        async.addFilter(stopNoise);
        async.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(async);
        root.setLevel(level(LEVEL_ENV, Level.INFO));
        context.getLogger("io.helidon").setLevel(level(HELIDON_LEVEL_ENV, Level.WARN));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static LogstashEncoder encoder(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.setTimeZone("UTC");
        LogstashFieldNames names = encoder.getFieldNames();
        names.setTimestamp("@timestamp");
        names.setLogger("logger");
        names.setThread("thread");
        names.setVersion("[ignore]");
        names.setLevelValue("[ignore]");
        encoder.addProvider(new ServiceFieldsJsonProvider(
                BuildInfo.SERVICE_NAME, BuildInfo.load(java.time.Instant.EPOCH).version()));
        ShortenedThrowableConverter throwables = new ShortenedThrowableConverter();
        throwables.setMaxDepthPerThrowable(30);
        throwables.setRootCauseFirst(true);
        encoder.setThrowableConverter(throwables);
        encoder.start();
        return encoder;
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
