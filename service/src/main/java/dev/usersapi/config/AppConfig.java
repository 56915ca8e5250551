package dev.usersapi.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The merged configuration as flat, dotted keys: environment variables over system properties over the embedded
 * application.yaml. Environment variables map to keys as Helidon's config does (EnvironmentVariables): a name with
 * an underscore also stands for the lower-case key with {@code _DASH_} (or {@code _dash_}) read as {@code -} and
 * {@code _} as {@code .}, so {@code HTTP_PORT} sets {@code http.port} and {@code SERVER_TCP_DASH_NO_DASH_DELAY} sets
 * {@code server.tcp-no-delay}.
 *
 * <p>Read here rather than through Helidon Config: that library built its tree from 330 classes in the interpreter,
 * about a third of the main thread's work before ready (issue #13, docs/architecture.md "Start-up"); this is a map
 * lookup.
 */
public final class AppConfig {
    static final String EMBEDDED = "application.yaml";
    private static final Pattern DASH = Pattern.compile("_dash_|_DASH_");

    private final Map<String, String> environment;
    private final Properties systemProperties;
    private final Map<String, String> embedded;

    private AppConfig(Map<String, String> environment, Properties systemProperties, Map<String, String> embedded) {
        this.environment = aliased(environment);
        this.systemProperties = systemProperties;
        this.embedded = embedded;
    }

    /** The process's configuration: its environment, its system properties and the jar's application.yaml. */
    public static AppConfig load() {
        return new AppConfig(System.getenv(), System.getProperties(), embedded());
    }

    /** The jar's application.yaml under the given environment alone (no system properties): for tests. */
    public static AppConfig withEnvironment(Map<String, String> environment) {
        return new AppConfig(environment, new Properties(), embedded());
    }

    static AppConfig of(Map<String, String> environment, Properties systemProperties, Map<String, String> embedded) {
        return new AppConfig(environment, systemProperties, embedded);
    }

    /** The value of a dotted key, from the first source that has it. */
    public Optional<String> get(String key) {
        String value = environment.get(key);
        if (value == null) {
            value = systemProperties.getProperty(key);
        }
        if (value == null) {
            value = embedded.get(key);
        }
        return Optional.ofNullable(value);
    }

    /** The environment variable that sets a key: what error messages and the docs name. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace("-", "_DASH_").replace('.', '_');
    }

    private static Map<String, String> aliased(Map<String, String> environment) {
        Map<String, String> keys = new HashMap<>(environment);
        environment.forEach((name, value) -> {
            if (name.indexOf('_') >= 0) {
                keys.put(asciiLowerCase(DASH.matcher(name).replaceAll("-").replace('_', '.')), value);
            }
        });
        return keys;
    }

    /**
     * Only A-Z change: POSIX names are ASCII, and a full Unicode case mapping could turn some other letter into a
     * key's ASCII one (the Kelvin sign K lower-cases to k).
     */
    private static String asciiLowerCase(String name) {
        char[] chars = name.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + ('a' - 'A'));
            }
        }
        return new String(chars);
    }

    static Map<String, String> embedded() {
        try (InputStream in = AppConfig.class.getClassLoader().getResourceAsStream(EMBEDDED)) {
            if (in == null) {
                throw new IllegalStateException(EMBEDDED + " is missing from the class path");
            }
            return flatten(new Load(LoadSettings.builder().build()).loadFromInputStream(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + EMBEDDED, e);
        }
    }

    /** A YAML document of nested mappings and scalars as dotted keys; null values are left out, as if unset. */
    static Map<String, String> flatten(Object document) {
        Map<String, String> flat = new HashMap<>();
        if (document != null) {
            if (!(document instanceof Map<?, ?> root)) {
                throw new IllegalStateException(EMBEDDED + " must be a mapping of keys, not " + document);
            }
            flatten("", root, flat);
        }
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> mapping, Map<String, String> flat) {
        mapping.forEach((name, value) -> {
            String key = prefix + name;
            switch (value) {
                case null -> {}
                case Map<?, ?> nested -> flatten(key + ".", nested, flat);
                case List<?> list ->
                    throw new IllegalStateException(
                            EMBEDDED + ": " + key + " is a list; settings are scalars: " + list);
                default -> flat.put(key, value.toString());
            }
        });
    }
}
