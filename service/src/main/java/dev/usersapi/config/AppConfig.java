package dev.usersapi.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** Loads the configuration: environment variables over system properties over the embedded application.yaml. */
public final class AppConfig {
    private AppConfig() {}

    public static Config load() {
        return Config.builder()
                .sources(
                        ConfigSources.environmentVariables(),
                        ConfigSources.systemProperties(),
                        ConfigSources.classpath("application.yaml"))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
    }
}
