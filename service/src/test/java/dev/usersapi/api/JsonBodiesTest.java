package dev.usersapi.api;

import static dev.usersapi.support.TestTokens.WRITER;
import static dev.usersapi.support.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.store.NewUser;
import dev.usersapi.store.User;
import dev.usersapi.support.AppPerClass;
import dev.usersapi.support.HttpResult;
import dev.usersapi.support.RawHttp;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The exact bytes of every kind of JSON body the service writes: member order, escaping, numbers and nulls. Clients
 * and the contract depend on these texts, so they are compared whole, not through a JSON tree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonBodiesTest {
    @RegisterExtension
    static final AppPerClass APP = AppPerClass.inMemory();

    private static final String JSON = "Content-Type: application/json";
    /**
     * What a JSON string escapes (quote, backslash, control characters; and, as Jackson 2 does by default, the
     * surrogate pair of a character beyond the BMP) and what it must not (slash, DEL, other non-ASCII).
     */
    private static final String AWKWARD_NAME = "Q\"B\\S/ é 😀 <b>&\u0001\n\t\u007f\u2028";

    private RawHttp http;
    private User awkward;
    private User plain;

    @BeforeAll
    void seed() {
        APP.app().lifecycle().ready();
        http = APP.http();
        // Through the store: the API refuses control characters, the writer must still escape them.
        awkward = APP.app().store().create(new NewUser(AWKWARD_NAME, "o'neil+tag/x@example.org"));
        plain = APP.app().store().create(new NewUser("Ada", "ada@example.org"));
    }

    @Test
    void aUserIsItsFourMembersInOrderWithStringsEscapedOnlyWhereJsonRequires() {
        HttpResult res = http.get("/api/users/" + awkward.id());

        assertThat(res.status()).isEqualTo(200);
        assertThat(res.text())
                .isEqualTo("{\"id\":\"" + awkward.id()
                        + "\",\"name\":\"Q\\\"B\\\\S/ é \\uD83D\\uDE00 <b>&\\u0001\\n\\t\u007f\u2028\","
                        + "\"email\":\"o'neil+tag/x@example.org\",\"createdAt\":\"" + awkward.createdAt() + "\"}");
    }

    @Test
    void aPageIsItsItemsThenTotalLimitAndOffset() {
        HttpResult res = http.get("/api/users?limit=1&offset=1");
        long total = APP.app().store().count();

        assertThat(res.status()).isEqualTo(200);
        assertThat(res.text())
                .isEqualTo("{\"items\":[" + userJson(plain) + "],\"total\":" + total + ",\"limit\":1,\"offset\":1}");
        assertThat(http.get("/api/users?offset=50").text())
                .isEqualTo("{\"items\":[],\"total\":" + total + ",\"limit\":20,\"offset\":50}");
    }

    @Test
    void aCreatedUserIsWrittenAsItIsRead() {
        HttpResult created = http.post(
                "/api/users", "{\"name\":\" Grace \",\"email\":\"grace.bodies@example.org\"}", JSON, bearer(WRITER));

        assertThat(created.status()).isEqualTo(201);
        String id = created.header("Location").orElseThrow().substring("/api/users/".length());
        User stored = APP.app().store().find(java.util.UUID.fromString(id)).orElseThrow();
        assertThat(created.text()).isEqualTo(userJson(stored)).contains("\"name\":\"Grace\"");
        assertThat(http.get("/api/users/" + id).text()).isEqualTo(created.text());
    }

    @Test
    void aProblemIsTypeTitleStatusDetailInstanceAndRequestId() {
        HttpResult res = http.get("/api/users/nope", "X-Request-Id: bodies-404");

        assertThat(res.status()).isEqualTo(404);
        assertThat(res.text())
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"no user at /api/users/nope\",\"instance\":\"/api/users/nope\","
                        + "\"request_id\":\"bodies-404\"}");
    }

    @Test
    void invalidFieldsComeAsAnErrorsListBeforeTheRequestId() {
        HttpResult res = http.post(
                "/api/users",
                "{\"role\":1,\"name\":\"\",\"email\":{}}",
                JSON,
                bearer(WRITER),
                "X-Request-Id: bodies-400");

        assertThat(res.status()).isEqualTo(400);
        assertThat(res.text())
                .isEqualTo("{\"type\":\"urn:users-api:problem:validation-failed\",\"title\":\"Invalid user\","
                        + "\"status\":400,\"detail\":\"3 fields are invalid; see errors\","
                        + "\"instance\":\"/api/users\",\"errors\":["
                        + "{\"field\":\"role\",\"message\":\"unknown field; only name and email are accepted\"},"
                        + "{\"field\":\"email\",\"message\":\"must be a string, got object\"},"
                        + "{\"field\":\"name\",\"message\":\"must not be blank\"}],"
                        + "\"request_id\":\"bodies-400\"}");
    }

    @Test
    void malformedJsonSaysWhereInTheBody() {
        HttpResult res = http.post(
                "/api/users", "{\"name\":\"a\",\n \"email\":}", JSON, bearer(WRITER), "X-Request-Id: bodies-json");

        assertThat(res.status()).isEqualTo(400);
        assertThat(res.text())
                .isEqualTo("{\"type\":\"urn:users-api:problem:malformed-body\",\"title\":\"Malformed request body\","
                        + "\"status\":400,\"detail\":\"the body is not valid JSON (line 2, column 10)\","
                        + "\"instance\":\"/api/users\",\"request_id\":\"bodies-json\"}");
    }

    @Test
    void serviceInfoIsNameVersionRevisionStarted() {
        HttpResult res = http.get("/");

        assertThat(res.status()).isEqualTo(200);
        assertThat(res.text())
                .matches("\\{\"name\":\"users-api\",\"version\":\"[^\"]+\",\"revision\":\"[^\"]+\","
                        + "\"started\":\"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\"}");
    }

    @Test
    void headAnnouncesTheLengthOfTheBodyGetSends() {
        for (String path : List.of("/", "/api/users", "/api/users/" + awkward.id())) {
            HttpResult get = http.get(path);
            HttpResult head = http.head(path);
            assertThat(head.header("Content-Length")).as(path).contains(Integer.toString(get.body().length));
        }
    }

    private static String userJson(User user) {
        return "{\"id\":\"" + user.id() + "\",\"name\":\"" + user.name() + "\",\"email\":\"" + user.email()
                + "\",\"createdAt\":\"" + user.createdAt() + "\"}";
    }
}
