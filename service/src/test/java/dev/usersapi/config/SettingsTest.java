package dev.usersapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    /** The embedded application.yaml under the given environment. */
    private static Settings withEnv(Map<String, String> env) {
        return Settings.from(AppConfig.withEnvironment(env));
    }

    @Test
    void embeddedDefaults() {
        Settings s = withEnv(Map.of());
        assertThat(s.httpPort()).isEqualTo(8080);
        assertThat(s.adminPort()).isEqualTo(8081);
        assertThat(s.tokensFile()).isEmpty();
        assertThat(s.drainPeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.maxUsers()).isEqualTo(10_000);
        assertThat(s.maxBodyBytes()).isEqualTo(16_384);
        assertThat(s.defaultPageSize()).isEqualTo(20);
        assertThat(s.maxPageSize()).isEqualTo(100);
        assertThat(s.tcpNoDelay()).isTrue();
        assertThat(s.connectionLimits())
                .isEqualTo(new ConnectionLimits(
                        128, Duration.ofSeconds(75), Duration.ofSeconds(10), Duration.ofSeconds(10), 16_384));
    }

    @Test
    void connectionLimitsFromTheEnvironment() {
        Settings s = withEnv(Map.of(
                "USERS_API_MAX_CONNECTIONS",
                "32",
                "USERS_API_IDLE_TIMEOUT_SECONDS",
                "30",
                "USERS_API_HEADER_TIMEOUT_SECONDS",
                "5",
                "USERS_API_BODY_TIMEOUT_SECONDS",
                "7",
                "USERS_API_MAX_HEADER_BYTES",
                "8192"));
        assertThat(s.connectionLimits())
                .isEqualTo(new ConnectionLimits(
                        32, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(7), 8192));
    }

    @Test
    void badConnectionLimitsNameTheVariable() {
        assertThatThrownBy(() -> withEnv(Map.of("USERS_API_MAX_CONNECTIONS", "0")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("USERS_API_MAX_CONNECTIONS");
        assertThatThrownBy(() -> withEnv(Map.of("USERS_API_IDLE_TIMEOUT_SECONDS", "0")))
                .hasMessageContaining("USERS_API_IDLE_TIMEOUT_SECONDS");
        assertThatThrownBy(() -> withEnv(Map.of("USERS_API_HEADER_TIMEOUT_SECONDS", "soon")))
                .hasMessageContaining("USERS_API_HEADER_TIMEOUT_SECONDS")
                .hasMessageContaining("'soon'");
        assertThatThrownBy(() -> withEnv(Map.of("USERS_API_BODY_TIMEOUT_SECONDS", "7200")))
                .hasMessageContaining("USERS_API_BODY_TIMEOUT_SECONDS");
        assertThatThrownBy(() -> withEnv(Map.of("USERS_API_MAX_HEADER_BYTES", "100")))
                .hasMessageContaining("USERS_API_MAX_HEADER_BYTES");
    }

    @Test
    void theContractEnvironmentVariablesOverride() {
        Settings s = withEnv(Map.of(
                "HTTP_PORT",
                "9090",
                "ADMIN_PORT",
                "9091",
                "USERS_API_TOKENS_FILE",
                "/etc/users-api/tokens",
                "USERS_API_DRAIN_SECONDS",
                "12",
                "USERS_API_MAX_USERS",
                "5",
                "USERS_API_MAX_BODY_BYTES",
                "1024",
                "USERS_API_PAGE_DEFAULT",
                "10",
                "USERS_API_PAGE_MAX",
                "50"));
        assertThat(s.httpPort()).isEqualTo(9090);
        assertThat(s.adminPort()).isEqualTo(9091);
        assertThat(s.tokensFile()).contains(Path.of("/etc/users-api/tokens"));
        assertThat(s.drainPeriod()).isEqualTo(Duration.ofSeconds(12));
        assertThat(s.maxUsers()).isEqualTo(5);
        assertThat(s.maxBodyBytes()).isEqualTo(1024);
        assertThat(s.defaultPageSize()).isEqualTo(10);
        assertThat(s.maxPageSize()).isEqualTo(50);
    }

    @Test
    void trustedProxiesFromTheEnvironment() {
        assertThat(withEnv(Map.of()).trustedProxies().isEmpty()).isTrue();
        assertThat(withEnv(Map.of("USERS_API_TRUSTED_PROXIES", "10.244.0.0/16, fd00::/8"))
                        .trustedProxies())
                .hasToString("[10.244.0.0/16, fd00:0:0:0:0:0:0:0/8]");
        assertThatThrownBy(() -> withEnv(Map.of("USERS_API_TRUSTED_PROXIES", "10.244.0.0/16,gateway")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("USERS_API_TRUSTED_PROXIES")
                .hasMessageContaining("'gateway' is not a CIDR");
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> withEnv(Map.of("HTTP_PORT", "http")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("HTTP_PORT")
                .hasMessageContaining("'http'");
        assertThatThrownBy(() -> withEnv(Map.of("ADMIN_PORT", "70000"))).hasMessageContaining("ADMIN_PORT");
        assertThatThrownBy(() -> withEnv(Map.of("ADMIN_PORT", "8080"))).hasMessageContaining("must differ");
        assertThatThrownBy(() -> withEnv(Map.of("USERS_API_DRAIN_SECONDS", "-1")))
                .hasMessageContaining("USERS_API_DRAIN_SECONDS");
        assertThatThrownBy(() -> withEnv(Map.of("USERS_API_MAX_USERS", "0")))
                .hasMessageContaining("USERS_API_MAX_USERS");
        assertThatThrownBy(() -> withEnv(Map.of("USERS_API_PAGE_DEFAULT", "500")))
                .hasMessageContaining("USERS_API_PAGE_DEFAULT");
    }

    @Test
    void noDatabaseUrlMeansTheInMemoryStore() {
        assertThat(withEnv(Map.of()).database()).isEmpty();
        assertThat(withEnv(Map.of("USERS_API_DB_URL", "  ")).database()).isEmpty();
    }

    @Test
    void theDatabaseSettingsAreReadAndValidated(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("password"), "secret\n");
        Map<String, String> env = new HashMap<>(Map.of(
                "USERS_API_DB_URL",
                "jdbc:postgresql://users-api-db-rw:5432/users",
                "USERS_API_DB_USER",
                "users_api",
                "USERS_API_DB_PASSWORD_FILE",
                password.toString()));
        DatabaseSettings db = withEnv(env).database().orElseThrow();
        assertThat(db.url()).isEqualTo("jdbc:postgresql://users-api-db-rw:5432/users");
        assertThat(db.user()).isEqualTo("users_api");
        assertThat(db.passwordFile()).isEqualTo(password);
        assertThat(db.poolSize()).isEqualTo(8);
        assertThat(db.acquireTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(db.statementTimeout()).isEqualTo(Duration.ofSeconds(3));

        for (String[] bad : new String[][] {
            {"USERS_API_DB_URL", "postgres://users-api-db-rw/users", "USERS_API_DB_URL"},
            {"USERS_API_DB_URL", "jdbc:postgresql://db/users?user=x&password=y", "must not carry credentials"},
            {"USERS_API_DB_URL", "jdbc:postgresql://x:y@db/users", "must not carry credentials"},
            {"USERS_API_DB_USER", "", "USERS_API_DB_USER"},
            {"USERS_API_DB_PASSWORD_FILE", "", "USERS_API_DB_PASSWORD_FILE"},
            {"USERS_API_DB_PASSWORD_FILE", dir.resolve("missing").toString(), "USERS_API_DB_PASSWORD_FILE"},
            {"USERS_API_DB_POOL_SIZE", "0", "USERS_API_DB_POOL_SIZE"},
            {"USERS_API_DB_POOL_SIZE", "many", "USERS_API_DB_POOL_SIZE"},
            {"USERS_API_DB_ACQUIRE_TIMEOUT_MS", "10", "USERS_API_DB_ACQUIRE_TIMEOUT_MS"},
            {"USERS_API_DB_STATEMENT_TIMEOUT_MS", "-5", "USERS_API_DB_STATEMENT_TIMEOUT_MS"}
        }) {
            Map<String, String> broken = new HashMap<>(env);
            broken.put(bad[0], bad[1]);
            assertThatThrownBy(() -> withEnv(broken))
                    .as(bad[0] + "=" + bad[1])
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining(bad[2]);
        }
    }

    @Test
    void keysWithADashAreSetWithDash() {
        assertThat(withEnv(Map.of()).tcpNoDelay()).isTrue();
        assertThat(withEnv(Map.of("SERVER_TCP_DASH_NO_DASH_DELAY", "false")).tcpNoDelay())
                .isFalse();
        assertThat(withEnv(Map.of("SERVER_SHUTDOWN_DASH_GRACE_DASH_PERIOD", "PT2S"))
                        .shutdownGracePeriod())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(withEnv(Map.of("SERVER_HOST", "127.0.0.1")).host()).isEqualTo("127.0.0.1");
    }

    @Test
    void badBooleansAndDurationsNameTheVariable() {
        assertThatThrownBy(() -> withEnv(Map.of("SERVER_TCP_DASH_NO_DASH_DELAY", "yes")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("SERVER_TCP_DASH_NO_DASH_DELAY (server.tcp-no-delay) must be true or false")
                .hasMessageContaining("'yes'");
        assertThatThrownBy(() -> withEnv(Map.of("SERVER_SHUTDOWN_DASH_GRACE_DASH_PERIOD", "5s")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("SERVER_SHUTDOWN_DASH_GRACE_DASH_PERIOD (server.shutdown-grace-period)")
                .hasMessageContaining("'5s'");
    }
}
