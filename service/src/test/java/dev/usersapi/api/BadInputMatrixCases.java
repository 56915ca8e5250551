package dev.usersapi.api;

import static dev.usersapi.support.TestTokens.ADMIN;
import static dev.usersapi.support.TestTokens.UNKNOWN;
import static dev.usersapi.support.TestTokens.WRITER;
import static dev.usersapi.support.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersapi.UsersApi;
import dev.usersapi.store.NewUser;
import dev.usersapi.store.Page;
import dev.usersapi.support.AppPerClass;
import dev.usersapi.support.HttpResult;
import dev.usersapi.support.TestTokens;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad request gets the right 4xx with an RFC 9457 body, never a 5xx, and leaves the store
 * exactly as it was; one subclass per store ({@link BadInputMatrixTest} in memory,
 * {@link BadInputMatrixPostgresTest} on PostgreSQL).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BadInputMatrixCases {
    private static final String JSON = "Content-Type: application/json";
    private static final String SEEDED_EMAIL = "seeded@example.org";

    /** Read through methods: with one instance per class, the instance exists before the app is started. */
    private final AppPerClass served;

    private String seededId;

    BadInputMatrixCases(AppPerClass served) {
        this.served = served;
    }

    UsersApi app() {
        return served.app();
    }

    @BeforeAll
    void readyAndSeeded() {
        app().lifecycle().ready();
        seededId =
                app().store().create(new NewUser("Seeded", SEEDED_EMAIL)).id().toString();
        app().store().create(new NewUser("Other", "other@example.org"));
    }

    record Case(String name, String method, String path, List<String> headers, byte[] body, int status) {
        @Override
        public String toString() {
            return status + " " + name;
        }
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // Malformed JSON → 400
        for (String[] body : new String[][] {
            {"unclosed object", "{"},
            {"truncated", "{\"name\":\"a\",\"email\":\"a@b.co\""},
            {"not json", "not json"},
            {"trailing brace", "{\"name\":\"a\",\"email\":\"a@b.co\"}}"},
            {"two documents", "{\"name\":\"a\",\"email\":\"a@b.co\"} {}"},
            {"single quotes", "{'name':'a','email':'a@b.co'}"},
            {"trailing comma", "{\"name\":\"a\",\"email\":\"a@b.co\",}"},
            {"duplicate key", "{\"name\":\"a\",\"name\":\"b\",\"email\":\"a@b.co\"}"},
            {"comment", "/* hi */ {\"name\":\"a\",\"email\":\"a@b.co\"}"},
            {"NaN", "{\"name\":NaN,\"email\":\"a@b.co\"}"},
            {"unquoted key", "{name:\"a\",email:\"a@b.co\"}"},
            {"deep nesting", "{\"name\":" + "[".repeat(64) + "]".repeat(64) + "}"},
            {"array", "[]"},
            {"array of user", "[{\"name\":\"a\",\"email\":\"a@b.co\"}]"},
            {"string", "\"hello\""},
            {"number", "42"},
            {"null", "null"},
            {"boolean", "true"},
        }) {
            c.add(post("malformed: " + body[0], body[1], 400));
        }
        c.add(new Case(
                "malformed: invalid UTF-8",
                "POST",
                "/api/users",
                List.of(JSON, bearer(WRITER)),
                concat(
                        "{\"name\":\"".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xC3, 0x28},
                        "\",\"email\":\"a@b.co\"}".getBytes(StandardCharsets.UTF_8)),
                400));
        // Wrong types → 400
        for (String[] body : new String[][] {
            {"name number", "{\"name\":1,\"email\":\"a@b.co\"}"},
            {"name null", "{\"name\":null,\"email\":\"a@b.co\"}"},
            {"name array", "{\"name\":[\"a\"],\"email\":\"a@b.co\"}"},
            {"name object", "{\"name\":{\"first\":\"a\"},\"email\":\"a@b.co\"}"},
            {"name boolean", "{\"name\":true,\"email\":\"a@b.co\"}"},
            {"email number", "{\"name\":\"a\",\"email\":7}"},
            {"email array", "{\"name\":\"a\",\"email\":[\"a@b.co\"]}"},
            {"both wrong", "{\"name\":false,\"email\":{}}"},
        }) {
            c.add(post("type: " + body[0], body[1], 400));
        }
        // Missing and extra fields → 400
        for (String[] body : new String[][] {
            {"empty object", "{}"},
            {"only name", "{\"name\":\"a\"}"},
            {"only email", "{\"email\":\"a@b.co\"}"},
            {"extra role", "{\"name\":\"a\",\"email\":\"a@b.co\",\"role\":\"admin\"}"},
            {"extra id", "{\"id\":\"" + UUID.randomUUID() + "\",\"name\":\"a\",\"email\":\"a@b.co\"}"},
            {"wrong case key", "{\"Name\":\"a\",\"email\":\"a@b.co\"}"},
        }) {
            c.add(post("fields: " + body[0], body[1], 400));
        }
        // Invalid values → 400
        for (String[] v : new String[][] {
            {"empty name", "", "ok@example.org"},
            {"blank name", "   ", "ok@example.org"},
            {"name too long", "x".repeat(101), "ok@example.org"},
            {"name with bell", "a\\u0007b", "ok@example.org"},
            {"name with newline", "a\\nb", "ok@example.org"},
            {"name with zero-width space", "a\\u200bb", "ok@example.org"},
            {"name with RTL override", "a\\u202eb", "ok@example.org"},
            {"name with lone surrogate", "a\\ud800b", "ok@example.org"},
            {"name with NUL", "a\\u0000b", "ok@example.org"},
            {"empty email", "Ann", ""},
            {"email without @", "Ann", "ann.example.org"},
            {"email with two @", "Ann", "ann@@example.org"},
            {"email without TLD", "Ann", "ann@localhost"},
            {"email with space", "Ann", "ann smith@example.org"},
            {"email non-ASCII", "Ann", "änn@example.org"},
            {
                "email too long",
                "Ann",
                "a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(60) + ".org"
            },
            {"email local part too long", "Ann", "a".repeat(65) + "@example.org"},
            {"email trailing dot", "Ann", "ann@example.org."},
            {"email leading dot", "Ann", ".ann@example.org"},
            {"email header injection", "Ann", "ann@example.org\\r\\nBcc: x@y.org"},
            {"email with angle brackets", "Ann", "<ann@example.org>"},
        }) {
            c.add(post("value: " + v[0], "{\"name\":\"" + v[1] + "\",\"email\":\"" + v[2] + "\"}", 400));
        }
        // Bodies
        c.add(new Case("body: empty", "POST", "/api/users", List.of(JSON, bearer(WRITER)), new byte[0], 400));
        c.add(post("body: over the limit", "{\"name\":\"" + "x".repeat(20_000) + "\",\"email\":\"a@b.co\"}", 413));
        c.add(new Case(
                "body: declared length over the limit",
                "POST",
                "/api/users",
                List.of(JSON, bearer(WRITER), "Content-Length: 10000000"),
                "{}".getBytes(StandardCharsets.UTF_8),
                413));
        c.add(new Case(
                "body: chunked over the limit",
                "POST",
                "/api/users",
                List.of(JSON, bearer(WRITER), "Transfer-Encoding: chunked"),
                chunked(40_000),
                413));
        // Content types → 415
        for (String type : new String[] {
            null,
            "text/plain",
            "application/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=iso-8859-1",
            "application/jsonx",
            "text/json"
        }) {
            List<String> headers = new ArrayList<>(List.of(bearer(WRITER)));
            if (type != null) {
                headers.add("Content-Type: " + type);
            }
            c.add(new Case(
                    "content type: " + type,
                    "POST",
                    "/api/users",
                    headers,
                    "{\"name\":\"a\",\"email\":\"ct@b.co\"}".getBytes(StandardCharsets.UTF_8),
                    415));
        }
        // Conflicts → 409
        c.add(post("duplicate email", "{\"name\":\"Again\",\"email\":\"" + SEEDED_EMAIL + "\"}", 409));
        c.add(post("duplicate email other case", "{\"name\":\"Again\",\"email\":\"SEEDED@Example.ORG\"}", 409));
        // Bad ids → 404
        for (String id : new String[] {
            "not-a-uuid",
            "123",
            "00000000-0000-0000-0000-00000000000g",
            "%00",
            "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
            UUID.randomUUID().toString(),
            "a/b",
            "%2e%2e%2fetc%2fpasswd",
            "x".repeat(2000)
        }) {
            c.add(new Case("id: " + abbreviate(id), "GET", "/api/users/" + id, List.of(), null, 404));
        }
        c.add(new Case("delete id: not-a-uuid", "DELETE", "/api/users/not-a-uuid", List.of(bearer(ADMIN)), null, 404));
        c.add(new Case(
                "delete id: unknown", "DELETE", "/api/users/" + UUID.randomUUID(), List.of(bearer(ADMIN)), null, 404));
        // Bad paging → 400
        for (String query : new String[] {
            "limit=0",
            "limit=-1",
            "limit=101",
            "limit=abc",
            "limit=1.5",
            "limit=",
            "offset=-1",
            "offset=abc",
            "limit=1&limit=2",
            "limit=99999999999999999999",
            "offset=10000001",
            "limit=%205",
            "limit=1e2",
            "offset=0x10"
        }) {
            c.add(new Case("paging: " + query, "GET", "/api/users?" + query, List.of(), null, 400));
        }
        // Bad or missing tokens → 401 / 403
        String body = "{\"name\":\"Tok\",\"email\":\"tok@example.org\"}";
        c.add(withAuth("token: missing", "POST", "/api/users", body, null, 401));
        c.add(withAuth("token: empty bearer", "POST", "/api/users", body, "Authorization: Bearer ", 401));
        c.add(withAuth("token: basic scheme", "POST", "/api/users", body, "Authorization: Basic YTpi", 401));
        c.add(withAuth("token: unknown", "POST", "/api/users", body, bearer(UNKNOWN), 401));
        c.add(withAuth(
                "token: lower-case scheme, unknown", "POST", "/api/users", body, "Authorization: bearer nope", 401));
        c.add(withAuth(
                "token: the stored hash itself",
                "POST",
                "/api/users",
                body,
                bearer(TestTokens.sha256Hex(WRITER)),
                401));
        c.add(withAuth("token: very long", "POST", "/api/users", body, bearer("t".repeat(4000)), 401));
        c.add(withAuth("token: valid plus junk", "POST", "/api/users", body, bearer(WRITER + " extra"), 401));
        c.add(withAuth("token: unknown with malformed body", "POST", "/api/users", "{", bearer(UNKNOWN), 401));
        c.add(withAuth("token: writer deletes", "DELETE", "/api/users/SEEDED", null, bearer(WRITER), 403));
        c.add(withAuth("token: none deletes", "DELETE", "/api/users/SEEDED", null, null, 401));
        // Wrong methods → 405
        c.add(new Case("method: PUT item", "PUT", "/api/users/SEEDED", List.of(JSON), "{}".getBytes(), 405));
        c.add(new Case("method: POST item", "POST", "/api/users/SEEDED", List.of(JSON), "{}".getBytes(), 405));
        c.add(new Case("method: DELETE collection", "DELETE", "/api/users", List.of(bearer(ADMIN)), null, 405));
        c.add(new Case("method: PATCH collection", "PATCH", "/api/users", List.of(JSON), "{}".getBytes(), 405));
        c.add(new Case("method: POST root", "POST", "/", List.of(JSON), "{}".getBytes(), 405));
        // Unknown paths → 404
        c.add(new Case("path: unknown", "GET", "/api/accounts", List.of(), null, 404));
        c.add(new Case("path: probe", "GET", "/.env", List.of(), null, 404));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersWithAProblemAndLeavesTheStoreAlone(Case c) {
        Page before = app().store().list(0, 10_000);
        String path = c.path().replace("SEEDED", seededId);

        HttpResult res =
                served.http().send(c.method(), path, c.body(), c.headers().toArray(String[]::new));

        assertThat(res.status()).as("status for %s: %s", c.name(), res.text()).isEqualTo(c.status());
        assertThat(res.header("Content-Type")).as("content type").contains("application/problem+json");
        JsonNode problem = res.json();
        assertThat(problem.get("status").asInt()).isEqualTo(c.status());
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("type").asText()).isNotBlank();
        assertThat(app().store().list(0, 10_000)).as("store unchanged").isEqualTo(before);
    }

    private static Case post(String name, String body, int status) {
        return new Case(
                name,
                "POST",
                "/api/users",
                List.of(JSON, bearer(WRITER)),
                body.getBytes(StandardCharsets.UTF_8),
                status);
    }

    private static Case withAuth(String name, String method, String path, String body, String auth, int status) {
        List<String> headers = new ArrayList<>();
        if (body != null) {
            headers.add(JSON);
        }
        if (auth != null) {
            headers.add(auth);
        }
        return new Case(
                name, method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8), status);
    }

    private static byte[] chunked(int size) {
        String chunk = "x".repeat(1000);
        StringBuilder sb = new StringBuilder();
        for (int sent = 0; sent < size; sent += chunk.length()) {
            sb.append(Integer.toHexString(chunk.length()))
                    .append("\r\n")
                    .append(chunk)
                    .append("\r\n");
        }
        sb.append("0\r\n\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…(" + s.length() + ")" : s;
    }
}
