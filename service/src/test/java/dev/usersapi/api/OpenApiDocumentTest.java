package dev.usersapi.api;

import static dev.usersapi.support.TestTokens.ADMIN;
import static dev.usersapi.support.TestTokens.WRITER;
import static dev.usersapi.support.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.support.AppPerClass;
import dev.usersapi.support.HttpResult;
import dev.usersapi.support.RawHttp;
import dev.usersapi.support.TestApps;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The OpenAPI document describes exactly this API: every documented operation and response code is
 * produced by a real request below, and every example's answer is documented. Adding a route or a status
 * without documenting it (or the reverse) fails here.
 */
class OpenApiDocumentTest {
    private static final String JSON = "Content-Type: application/json";
    private static final int CAPACITY = 3;

    @RegisterExtension
    static final AppPerClass APP = AppPerClass.of(() -> TestApps.settings().withMaxUsers(CAPACITY));

    /** The same API on a PostgreSQL store whose database never answers: every store call is a 503. */
    @RegisterExtension
    static final AppPerClass UNAVAILABLE = AppPerClass.unavailable();

    private final RawHttp http = APP.http();
    private final RawHttp unavailable = UNAVAILABLE.http();

    @BeforeEach
    void ready() {
        APP.app().lifecycle().ready();
        UNAVAILABLE.app().lifecycle().ready();
    }

    /** "METHOD path status" → a request that must answer exactly that status; run in this order. */
    private Map<String, Function<String, HttpResult>> examples() {
        Map<String, Function<String, HttpResult>> ex = new LinkedHashMap<>();
        ex.put("GET / 200", id -> http.get("/"));
        ex.put("POST /api/users 201", id -> create("a@example.org", WRITER));
        ex.put("POST /api/users 400", id -> http.post("/api/users", "{}", JSON, bearer(WRITER)));
        ex.put("POST /api/users 401", id -> http.post("/api/users", "{}", JSON));
        ex.put("POST /api/users 409", id -> create("A@example.org", WRITER));
        ex.put("POST /api/users 413", id -> http.post("/api/users", "x".repeat(20_000), JSON, bearer(WRITER)));
        ex.put("POST /api/users 415", id -> http.post("/api/users", "{}", "Content-Type: text/plain", bearer(WRITER)));
        ex.put("GET /api/users 200", id -> http.get("/api/users?limit=1"));
        ex.put("GET /api/users 400", id -> http.get("/api/users?limit=101"));
        ex.put("GET /api/users 431", id -> http.get("/api/users", "X-Big: " + "a".repeat(17_000)));
        ex.put("HEAD / 200", id -> http.head("/"));
        ex.put("HEAD /api/users 200", id -> http.head("/api/users"));
        ex.put("HEAD /api/users 400", id -> http.head("/api/users?limit=0"));
        ex.put("HEAD /api/users/{id} 200", id -> http.head("/api/users/" + id));
        ex.put("HEAD /api/users/{id} 404", id -> http.head("/api/users/00000000-0000-0000-0000-000000000000"));
        ex.put("GET /api/users/{id} 200", id -> http.get("/api/users/" + id));
        ex.put("GET /api/users/{id} 404", id -> http.get("/api/users/00000000-0000-0000-0000-000000000000"));
        ex.put("DELETE /api/users/{id} 401", id -> http.delete("/api/users/" + id));
        ex.put("DELETE /api/users/{id} 403", id -> http.delete("/api/users/" + id, bearer(WRITER)));
        ex.put("DELETE /api/users/{id} 204", id -> http.delete("/api/users/" + id, bearer(ADMIN)));
        ex.put("DELETE /api/users/{id} 404", id -> http.delete("/api/users/" + id, bearer(ADMIN)));
        String someId = "/api/users/00000000-0000-0000-0000-000000000001";
        ex.put("GET /api/users 503", id -> unavailable.get("/api/users"));
        ex.put("GET /api/users/{id} 503", id -> unavailable.get(someId));
        ex.put(
                "POST /api/users 503",
                id -> unavailable.post(
                        "/api/users", "{\"name\":\"Doc\",\"email\":\"down@example.org\"}", JSON, bearer(WRITER)));
        ex.put("DELETE /api/users/{id} 503", id -> unavailable.delete(someId, bearer(ADMIN)));
        ex.put("POST /api/users 507", id -> {
            for (int i = 0; i < CAPACITY; i++) {
                create("fill" + i + "@example.org", ADMIN);
            }
            return create("one-too-many@example.org", ADMIN);
        });
        return ex;
    }

    @Test
    void documentAndServerAgree() throws Exception {
        Set<String> documented = documentedResponses();
        Map<String, Function<String, HttpResult>> examples = examples();
        assertThat(examples.keySet())
                .as("an example per documented response")
                .containsExactlyInAnyOrderElementsOf(documented);

        String id = null;
        for (var e : examples.entrySet()) {
            HttpResult res = e.getValue().apply(id);
            int expected = Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf(' ') + 1));
            assertThat(res.status()).as(e.getKey() + ": " + res.text()).isEqualTo(expected);
            if (e.getKey().equals("POST /api/users 201")) {
                id = res.json().get("id").asText();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> documentedResponses() throws Exception {
        Map<String, Object> doc;
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        }
        Set<String> out = new TreeSet<>();
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        paths.forEach((path, item) -> item.forEach((method, op) -> {
            if (method.equals("parameters")) {
                return;
            }
            Map<String, Object> responses = (Map<String, Object>) ((Map<String, Object>) op).get("responses");
            responses.keySet().forEach(code -> out.add(method.toUpperCase(Locale.ROOT) + " " + path + " " + code));
        }));
        return out;
    }

    private HttpResult create(String email, String token) {
        return http.post("/api/users", "{\"name\":\"Doc\",\"email\":\"" + email + "\"}", JSON, bearer(token));
    }
}
