package dev.usersapi.it;

import static dev.usersapi.support.TestTokens.ADMIN;
import static dev.usersapi.support.TestTokens.UNKNOWN;
import static dev.usersapi.support.TestTokens.WRITER;
import static dev.usersapi.support.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersapi.support.HttpResult;
import dev.usersapi.support.PostgresExtension;
import dev.usersapi.support.RawHttp;
import dev.usersapi.support.ServiceProcess;
import dev.usersapi.support.TestJson;
import dev.usersapi.support.TestPostgres;
import dev.usersapi.support.TestTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives every endpoint and outcome on the real packaged service and captures what it really emits:
 * {@code target/contract/metrics.txt} (admin /metrics) and {@code target/contract/logs.jsonl} (stdout).
 * The dashboards and alert rules under monitoring/ are checked against these files, so a query can only
 * name a metric, label or log field the service truly produces. Also holds the captured output to the
 * metric and log contracts of docs/architecture.md. Captured on the PostgreSQL store, as deployed, so the
 * database metrics are in the capture too (the in-memory store emits a subset of the same).
 */
class ContractCaptureIT {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension(ContractCaptureIT.class);

    private static final String JSON = "Content-Type: application/json";
    private static final String SECRET_NAME = "Contract Body Marker";
    private static final Set<String> ALWAYS =
            Set.of("@timestamp", "level", "logger", "thread", "message", "service", "version");
    private static final Set<String> REQUEST_FIELDS =
            Set.of("request_id", "trace_id", "span_id", "method", "path", "client_ip", "peer_ip", "user_agent");
    private static final Set<String> SECURITY_EVENTS =
            Set.of("auth_failure", "access_denied", "invalid_input", "suspicious_request");

    @Test
    void capturesRealMetricsAndLogs(@TempDir Path dir) throws Exception {
        Path contractDir = Path.of(System.getProperty("contract.dir", "target/contract"));
        Files.createDirectories(contractDir);
        Map<String, String> env = new HashMap<>(TestPostgres.env(POSTGRES.database()));
        env.putAll(Map.of(
                "USERS_API_TOKENS_FILE", TestTokens.writeTokensFile(dir).toString(),
                "USERS_API_DRAIN_SECONDS", "0",
                "USERS_API_MAX_BODY_BYTES", "1024"));
        ServiceProcess service = ServiceProcess.start(env);
        String metrics;
        try (service) {
            driveEveryOutcome(service.http());
            HttpResult scrape = service.admin().get("/metrics");
            assertThat(scrape.status()).isEqualTo(200);
            metrics = scrape.text();
            service.terminate();
            assertThat(service.awaitExit(Duration.ofSeconds(20))).isIn(0, 143);
        }
        Path metricsFile = contractDir.resolve("metrics.txt");
        Files.writeString(metricsFile, metrics);
        Files.write(contractDir.resolve("logs.jsonl"), service.stdout());

        assertMetricsContract(metrics);
        assertLogContract(service.stdout());
        assertPromtoolAccepts(metricsFile);
    }

    private static void driveEveryOutcome(RawHttp http) {
        String user = "{\"name\":\"" + SECRET_NAME + "\",\"email\":\"contract@example.org\"}";
        expect(200, http.get("/"));
        expect(200, http.get("/api/users"));
        HttpResult created = http.post("/api/users", user, JSON, bearer(WRITER));
        expect(201, created);
        String id = created.json().get("id").asText();
        expect(
                200,
                http.get("/api/users/" + id, "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        expect(200, http.get("/api/users?limit=5&offset=0", "X-Request-Id: contract-request-1"));
        expect(409, http.post("/api/users", user, JSON, bearer(ADMIN)));
        expect(400, http.post("/api/users", "{\"name\":\"\",\"email\":\"bad\"}", JSON, bearer(WRITER)));
        expect(400, http.post("/api/users", "{", JSON, bearer(WRITER)));
        expect(400, http.get("/api/users?limit=0"));
        expect(401, http.post("/api/users", user, JSON));
        expect(401, http.post("/api/users", user, JSON, bearer(UNKNOWN)));
        expect(403, http.delete("/api/users/" + id, bearer(WRITER)));
        expect(404, http.get("/api/users/00000000-0000-0000-0000-000000000000"));
        expect(404, http.get("/no/such/route"));
        expect(404, http.get("/.env", "User-Agent: sqlmap/1.8"));
        expect(405, http.send("PUT", "/api/users", new byte[0]));
        expect(413, http.post("/api/users", "{\"name\":\"" + "x".repeat(2000) + "\"}", JSON, bearer(WRITER)));
        expect(415, http.post("/api/users", "name=x", "Content-Type: text/plain", bearer(WRITER)));
        expect(204, http.delete("/api/users/" + id, bearer(ADMIN)));
        expect(201, http.post("/api/users", user, JSON, bearer(WRITER)));
    }

    private static void expect(int status, HttpResult res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(status);
    }

    private static void assertMetricsContract(String metrics) {
        Set<String> statuses = new TreeSet<>();
        Matcher m = Pattern.compile("http_request_duration_seconds_count\\{method=\"[A-Z]+\",route=\"([^\"]+)\","
                        + "status=\"(\\d{3})\"}")
                .matcher(metrics);
        Set<String> routes = new TreeSet<>();
        while (m.find()) {
            routes.add(m.group(1));
            statuses.add(m.group(2));
        }
        assertThat(statuses)
                .containsAll(List.of("200", "201", "204", "400", "401", "403", "404", "405", "409", "413", "415"));
        assertThat(routes).containsExactlyInAnyOrder("/", "/api/users", "/api/users/{id}", "unmatched");
        assertThat(metrics)
                .contains("# TYPE http_request_duration_seconds histogram")
                .contains("# TYPE http_requests_in_flight gauge")
                .contains("# TYPE users_api_auth_failures_total counter")
                .contains("users_api_auth_failures_total{reason=\"missing_token\"} 1.0")
                .contains("users_api_auth_failures_total{reason=\"invalid_token\"} 1.0")
                .contains("users_api_auth_failures_total{reason=\"forbidden\"} 1.0")
                .contains("# TYPE users_api_users gauge")
                .contains("users_api_users 1.0")
                .containsPattern("users_api_build_info\\{revision=\"[^\"]+\",version=\"[^\"]+\"} 1")
                .contains("jvm_memory_used_bytes{area=\"heap\"}")
                .contains("process_resident_memory_bytes")
                .contains("# TYPE users_api_db_pool_connections gauge")
                .contains("users_api_db_pool_connections{state=\"active\"}")
                .contains("users_api_db_pool_connections{state=\"idle\"}")
                .contains("users_api_db_pool_connections{state=\"pending\"}")
                .contains("# TYPE users_api_db_pool_max_connections gauge")
                .contains("# TYPE users_api_db_query_duration_seconds histogram")
                .contains("# TYPE users_api_db_unavailable_total counter")
                .contains("users_api_db_unavailable_total 0.0")
                .contains("# TYPE users_api_log_events_dropped_total counter")
                .contains("users_api_log_events_dropped_total{logger=\"access\"} 0.0")
                .contains("users_api_log_events_dropped_total{logger=\"other\"} 0.0");
        for (String operation : List.of("create", "find", "list", "delete", "count", "migrate")) {
            assertThat(metrics)
                    .contains("users_api_db_query_duration_seconds_bucket{operation=\"" + operation + "\",le=");
        }
    }

    private static void assertLogContract(List<String> lines) throws IOException {
        assertThat(lines).isNotEmpty();
        List<JsonNode> requests = new ArrayList<>();
        Set<String> events = new TreeSet<>();
        for (String line : lines) {
            JsonNode json = TestJson.MAPPER.readTree(line);
            for (String field : ALWAYS) {
                assertThat(json.has(field)).as("field %s in %s", field, line).isTrue();
            }
            assertThat(json.get("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z");
            assertThat(json.get("service").asText()).isEqualTo("users-api");
            assertThat(line)
                    .doesNotContain(WRITER)
                    .doesNotContain(ADMIN)
                    .doesNotContain(UNKNOWN)
                    .doesNotContain(TestTokens.sha256Hex(WRITER))
                    .doesNotContainIgnoringCase("authorization")
                    .doesNotContain(SECRET_NAME);
            String event = json.path("event").asText("");
            if (event.equals("http_request")) {
                requests.add(json);
                for (String field : REQUEST_FIELDS) {
                    assertThat(json.has(field))
                            .as("field %s in %s", field, line)
                            .isTrue();
                }
                assertThat(json.get("status").isInt()).isTrue();
                assertThat(json.get("duration_ms").isNumber()).isTrue();
                assertThat(json.get("route").asText()).isNotBlank();
            } else if (!event.isEmpty()) {
                events.add(event);
                assertThat(SECURITY_EVENTS).contains(event);
                assertThat(json.get("level").asText()).isEqualTo("WARN");
                assertThat(json.get("reason").asText()).isNotBlank();
                for (String field : REQUEST_FIELDS) {
                    assertThat(json.has(field))
                            .as("field %s in %s", field, line)
                            .isTrue();
                }
            }
        }
        assertThat(requests).hasSize(20);
        assertThat(events).isEqualTo(SECURITY_EVENTS);
        assertThat(requests)
                .anyMatch(r -> r.get("trace_id").asText().equals("4bf92f3577b34da6a3ce929d0e0e4736")
                        && r.get("span_id").asText().equals("00f067aa0ba902b7"));
        assertThat(requests).anyMatch(r -> r.get("request_id").asText().equals("contract-request-1"));
    }

    private static void assertPromtoolAccepts(Path metricsFile) throws Exception {
        String promtool = Tools.require("promtool", "apt-get install prometheus");
        Process p = new ProcessBuilder(promtool, "check", "metrics")
                .redirectInput(metricsFile.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("promtool check metrics findings").isEmpty();
        assertThat(p.exitValue()).isZero();
    }
}
