package dev.usersapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AppConfigTest {
    private static final Map<String, String> EMBEDDED =
            Map.of("http.port", "8080", "server.tcp-no-delay", "true", "users.api.tokens.file", "");

    private static Properties properties(String... pairs) {
        Properties properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    @Test
    void theEnvironmentWinsOverSystemPropertiesWhichWinOverTheEmbeddedFile() {
        AppConfig both = AppConfig.of(Map.of("HTTP_PORT", "9090"), properties("http.port", "7070"), EMBEDDED);
        AppConfig properties = AppConfig.of(Map.of(), properties("http.port", "7070"), EMBEDDED);
        AppConfig none = AppConfig.of(Map.of(), new Properties(), EMBEDDED);
        assertThat(both.get("http.port")).contains("9090");
        assertThat(properties.get("http.port")).contains("7070");
        assertThat(none.get("http.port")).contains("8080");
        assertThat(none.get("users.api.tokens.file")).contains("");
        assertThat(none.get("no.such.key")).isEmpty();
    }

    @Test
    void environmentNamesMapToKeysAsHelidonMapsThem() {
        AppConfig config = AppConfig.of(
                Map.of(
                        "SERVER_TCP_DASH_NO_DASH_DELAY", "false",
                        "users_api_max_users", "7",
                        "SERVER_SHUTDOWN_dash_GRACE_dash_PERIOD", "PT1S",
                        "admin.port", "9191",
                        "PATH", "/usr/bin"),
                new Properties(),
                EMBEDDED);
        assertThat(config.get("server.tcp-no-delay")).contains("false");
        assertThat(config.get("users.api.max.users")).contains("7");
        assertThat(config.get("server.shutdown-grace-period")).contains("PT1S");
        assertThat(config.get("admin.port")).contains("9191");
        assertThat(config.get("path")).isEmpty(); // a name without an underscore stands only for itself
        // Any underscore counts, the first character's too, as in Helidon.
        assertThat(AppConfig.of(Map.of("_JAVA_OPTIONS", "-Xss1m"), new Properties(), Map.of())
                        .get(".java.options"))
                .contains("-Xss1m");
        assertThat(config.get("PATH")).contains("/usr/bin");
        // Only ASCII letters fold: the Kelvin sign would lower-case to k under full Unicode rules.
        assertThat(AppConfig.of(Map.of("\u212AEY_NAME", "v"), new Properties(), Map.of())
                        .get("key.name"))
                .isEmpty();
    }

    @Test
    void theEnvironmentNameOfAKeyIsTheOneThatSetsIt() {
        for (String key : List.of("http.port", "server.tcp-no-delay", "users.api.db.pool.size")) {
            String name = AppConfig.environmentName(key);
            assertThat(AppConfig.of(Map.of(name, "x"), new Properties(), Map.of())
                            .get(key))
                    .as(name)
                    .contains("x");
        }
        assertThat(AppConfig.environmentName("server.shutdown-grace-period"))
                .isEqualTo("SERVER_SHUTDOWN_DASH_GRACE_DASH_PERIOD");
        assertThat(AppConfig.environmentName("users.api.max.users")).isEqualTo("USERS_API_MAX_USERS");
    }

    @Test
    void theEmbeddedFileFlattensToDottedKeys() {
        Map<String, String> embedded = AppConfig.embedded();
        assertThat(embedded)
                .containsEntry("http.port", "8080")
                .containsEntry("users.api.max.users", "10000")
                .containsEntry("users.api.tokens.file", "")
                .containsEntry("server.tcp-no-delay", "true")
                .containsEntry("server.shutdown-grace-period", "PT5S")
                .containsEntry("users.api.db.statement.timeout.ms", "3000");
        assertThat(embedded.keySet()).allMatch(key -> key.matches("[a-z][a-z.-]*[a-z]"), "dotted lower-case keys");
    }

    @Test
    void flatteningKeepsScalarsSkipsNullsAndRefusesLists() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("port", 1);
        nested.put("off", false);
        nested.put("unset", null);
        assertThat(AppConfig.flatten(Map.of("a", nested)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a.port", "1", "a.off", "false"));
        assertThat(AppConfig.flatten(null)).isEmpty();
        assertThatThrownBy(() -> AppConfig.flatten(Map.of("a", Map.of("list", List.of(1, 2)))))
                .hasMessageContaining("a.list is a list");
        assertThatThrownBy(() -> AppConfig.flatten("just text")).hasMessageContaining("must be a mapping");
    }
}
