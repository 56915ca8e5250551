package dev.usersapi.api;

import static dev.usersapi.support.TestTokens.ADMIN;
import static dev.usersapi.support.TestTokens.UNKNOWN;
import static dev.usersapi.support.TestTokens.WRITER;
import static dev.usersapi.support.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersapi.UsersApi;
import dev.usersapi.support.AppPerClass;
import dev.usersapi.support.HttpResult;
import dev.usersapi.support.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API over real sockets, wired exactly as in production; one subclass per store, same expectations
 * ({@link UsersApiTest} in memory, {@link UsersApiPostgresTest} on PostgreSQL).
 */
abstract class UsersApiCases {
    private static final String JSON = "Content-Type: application/json";

    private final AppPerClass served;
    private final RawHttp http;
    private final RawHttp admin;

    UsersApiCases(AppPerClass served) {
        this.served = served;
        this.http = served.http();
        this.admin = served.admin();
    }

    UsersApi app() {
        return served.app();
    }

    @BeforeEach
    void ready() {
        app().lifecycle().ready();
    }

    private HttpResult create(String name, String email) {
        return http.post("/api/users", "{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}", JSON, bearer(WRITER));
    }

    @Test
    void serviceInfoNamesTheRunningBuild() {
        HttpResult res = http.get("/");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.json().get("name").asText()).isEqualTo("users-api");
        assertThat(res.json().has("version")).isTrue();
        assertThat(res.json().has("revision")).isTrue();
        assertThat(res.json().get("started").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void createThenGetThenDelete() {
        HttpResult created = create("Grace Hopper", "grace.crud@example.org");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.header("Location")).contains("/api/users/" + id);
        assertThat(created.header("Content-Type")).contains("application/json");

        HttpResult got = http.get("/api/users/" + id);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("name").asText()).isEqualTo("Grace Hopper");
        assertThat(got.json().get("email").asText()).isEqualTo("grace.crud@example.org");

        assertThat(http.delete("/api/users/" + id, bearer(ADMIN)).status()).isEqualTo(204);
        assertThat(http.get("/api/users/" + id).status()).isEqualTo(404);
        assertThat(http.delete("/api/users/" + id, bearer(ADMIN)).status()).isEqualTo(404);
    }

    @Test
    void adminMayCreateToo() {
        HttpResult res =
                http.post("/api/users", "{\"name\":\"Ada\",\"email\":\"ada.admin@example.org\"}", JSON, bearer(ADMIN));
        assertThat(res.status()).isEqualTo(201);
    }

    @Test
    void emailsAreUniqueIgnoringCase() {
        assertThat(create("First", "Dup.Case@Example.org").status()).isEqualTo(201);
        HttpResult dup = create("Second", "dup.case@example.ORG");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.header("Content-Type")).contains("application/problem+json");
        assertThat(dup.json().get("type").asText()).isEqualTo("urn:users-api:problem:duplicate-email");
    }

    @Test
    void listPagesInCreationOrder() {
        for (int i = 0; i < 5; i++) {
            assertThat(create("Pager " + i, "pager" + i + "@example.org").status())
                    .isEqualTo(201);
        }
        JsonNode all = http.get("/api/users?limit=100").json();
        int total = all.get("total").asInt();
        assertThat(total).isGreaterThanOrEqualTo(5);

        JsonNode page = http.get("/api/users?limit=2&offset=1").json();
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        assertThat(page.get("total").asInt()).isEqualTo(total);
        assertThat(page.get("items")).hasSize(2);
        assertThat(page.get("items").get(0).get("id"))
                .isEqualTo(all.get("items").get(1).get("id"));

        JsonNode beyond = http.get("/api/users?offset=" + (total + 10)).json();
        assertThat(beyond.get("items")).isEmpty();
        assertThat(beyond.get("limit").asInt()).isEqualTo(20);
    }

    @Test
    void writesNeedAToken() {
        HttpResult missing = http.post("/api/users", "{}", JSON);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.header("WWW-Authenticate")).contains("Bearer realm=\"users-api\"");

        HttpResult unknown = http.post("/api/users", "{}", JSON, bearer(UNKNOWN));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.header("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");

        HttpResult basic = http.post("/api/users", "{}", JSON, "Authorization: Basic dXNlcjpwYXNz");
        assertThat(basic.status()).isEqualTo(401);
    }

    @Test
    void deleteNeedsAdmin() {
        String id =
                create("Deletable", "deletable@example.org").json().get("id").asText();
        HttpResult forbidden = http.delete("/api/users/" + id, bearer(WRITER));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("status").asInt()).isEqualTo(403);
        assertThat(http.delete("/api/users/" + id).status()).isEqualTo(401);
        assertThat(http.get("/api/users/" + id).status()).isEqualTo(200);
    }

    @Test
    void unknownRoutesAndMethodsAreProblems() {
        HttpResult notFound = http.get("/api/nothing-here");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.header("Content-Type")).contains("application/problem+json");
        assertThat(notFound.json().get("instance").asText()).isEqualTo("/api/nothing-here");

        HttpResult put = http.send("PUT", "/api/users", new byte[0]);
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).contains("GET, HEAD, POST");

        HttpResult patch = http.send("PATCH", "/api/users/00000000-0000-0000-0000-000000000000", new byte[0]);
        assertThat(patch.status()).isEqualTo(405);
        assertThat(patch.header("Allow")).contains("GET, HEAD, DELETE");
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        assertThat(http.get("/", "X-Request-Id: abc-123").header("X-Request-Id"))
                .contains("abc-123");
        assertThat(http.get("/").header("X-Request-Id").orElseThrow()).matches("[0-9a-f-]{36}");
        // A forged id with characters that could break log or header structure is replaced.
        assertThat(http.get("/", "X-Request-Id: a\"b{}").header("X-Request-Id").orElseThrow())
                .matches("[0-9a-f-]{36}");
    }

    @Test
    void problemsCarryTheRequestId() {
        HttpResult res = http.get("/api/users/nope", "X-Request-Id: trace-me-1");
        assertThat(res.json().get("request_id").asText()).isEqualTo("trace-me-1");
    }

    @Test
    void healthEndpointsOnAdminSocket() {
        for (String path : new String[] {"/health", "/health/live", "/health/ready", "/health/started"}) {
            HttpResult res = admin.get(path);
            assertThat(res.status()).as(path).isEqualTo(200);
            assertThat(res.json().get("status").asText()).as(path).isEqualTo("UP");
        }
        assertThat(http.get("/health").status())
                .as("health is not on the public socket")
                .isEqualTo(404);
        assertThat(http.get("/metrics").status())
                .as("metrics are not on the public socket")
                .isEqualTo(404);
    }

    @Test
    void metricsExposeTheContract() {
        create("Metric", "metric@example.org");
        http.get("/api/users/" + java.util.UUID.randomUUID());
        http.post("/api/users", "{}", JSON, bearer(UNKNOWN));
        HttpResult res = admin.get("/metrics");
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.header("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        String text = res.text();
        assertThat(text)
                .contains("http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/users\",status=\"201\"")
                .contains(
                        "http_request_duration_seconds_count{method=\"GET\",route=\"/api/users/{id}\",status=\"404\"}")
                .contains("http_requests_in_flight ")
                .contains("users_api_auth_failures_total{reason=\"invalid_token\"}")
                .contains("users_api_auth_failures_total{reason=\"missing_token\"}")
                .contains("users_api_auth_failures_total{reason=\"forbidden\"}")
                .containsPattern("users_api_users \\d")
                .contains("users_api_build_info{revision=")
                .contains("jvm_memory_used_bytes")
                .contains("process_cpu_seconds_total");
        HttpResult openMetrics = admin.get("/metrics", "Accept: application/openmetrics-text; version=1.0.0");
        assertThat(openMetrics.header("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
        assertThat(openMetrics.text()).endsWith("# EOF\n");
    }
}
