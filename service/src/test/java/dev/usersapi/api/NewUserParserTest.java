package dev.usersapi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.usersapi.http.Problem;
import dev.usersapi.http.ProblemException;
import dev.usersapi.observe.SecurityEvent;
import dev.usersapi.store.NewUser;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a client is told for each kind of body, word for word: the reason logged, the detail, and the field errors in
 * their order. The texts are the ones the service answered with while it read bodies through a JSON tree.
 */
class NewUserParserTest {
    private static final String OK = "{\"name\":\"a\",\"email\":\"a@b.co\"}";
    private static final String NOT_AN_OBJECT =
            "not_an_object | the body must be a JSON object with fields name and email";
    private static final String TOO_DEEP_OR_LONG =
            "malformed_json | the body is nested, or its values are, deeper or longer than a user needs";

    static Stream<Arguments> bodies() {
        return Stream.of(
                // Not JSON: where it stops being JSON.
                refused("{", "malformed_json | the body is not valid JSON (line 1, column 2)"),
                refused("}", "malformed_json | the body is not valid JSON (line 1, column 1)"),
                refused("[1,2", "malformed_json | the body is not valid JSON (line 1, column 5)"),
                refused("-", "malformed_json | the body is not valid JSON (line 1, column 2)"),
                refused("01", "malformed_json | the body is not valid JSON (line 1, column 2)"),
                refused("{'name':'a'}", "malformed_json | the body is not valid JSON (line 1, column 2)"),
                refused("{name:\"a\"}", "malformed_json | the body is not valid JSON (line 1, column 2)"),
                refused("/* c */ {}", "malformed_json | the body is not valid JSON (line 1, column 1)"),
                refused("{\"name\":NaN}", "malformed_json | the body is not valid JSON (line 1, column 12)"),
                refused("{\"name\":+1}", "malformed_json | the body is not valid JSON (line 1, column 10)"),
                refused(
                        "{\"name\":\"a\",\"email\":\"a@b.co\",}",
                        "malformed_json | the body is not valid JSON (line 1, column 30)"),
                refused(
                        "{\"name\":\"a\"\"email\":\"b\"}",
                        "malformed_json | the body is not valid JSON (line 1, column 12)"),
                refused("{\"name\":\"a\\x\"}", "malformed_json | the body is not valid JSON (line 1, column 12)"),
                refused("{\"name\":\"a\nb\"}", "malformed_json | the body is not valid JSON (line 1, column 11)"),
                // Duplicate keys, at any depth, at the second occurrence.
                refused(
                        "{\"name\":\"a\",\"name\":\"b\",\"email\":\"a@b.co\"}",
                        "malformed_json | the body is not valid JSON (line 1, column 19)"),
                refused(
                        "{\"name\":\"a\",\n\"email\":\"a@b.co\",\n\"name\":\"c\"}",
                        "malformed_json | the body is not valid JSON (line 3, column 7)"),
                refused(
                        "{\"name\":{\"x\":1,\"x\":2},\"email\":\"a@b.co\"}",
                        "malformed_json | the body is not valid JSON (line 1, column 19)"),
                refused("[1,{\"a\":1,\"a\":2}]", "malformed_json | the body is not valid JSON (line 1, column 14)"),
                // Anything after the root value, at the first extra token.
                refused(OK + " {}", "malformed_json | the body is not valid JSON (line 1, column 31)"),
                refused(OK + "}", "malformed_json | the body is not valid JSON (line 1, column 30)"),
                refused(OK + " x", "malformed_json | the body is not valid JSON (line 1, column 32)"),
                refused(OK + " 1", "malformed_json | the body is not valid JSON (line 1, column 31)"),
                refused(OK + " null", "malformed_json | the body is not valid JSON (line 1, column 31)"),
                refused(OK + "\n\n  []", "malformed_json | the body is not valid JSON (line 3, column 3)"),
                refused(OK + " [" + "[".repeat(40), "malformed_json | the body is not valid JSON (line 1, column 31)"),
                refused(OK + "\u0000", "malformed_json | the body is not valid JSON (line 1, column 31)"),
                refused("42 43", "malformed_json | the body is not valid JSON (line 1, column 4)"),
                refused("\"a\" \"b\"", "malformed_json | the body is not valid JSON (line 1, column 5)"),
                refused("null null", "malformed_json | the body is not valid JSON (line 1, column 6)"),
                refused("[] []", "malformed_json | the body is not valid JSON (line 1, column 4)"),
                // Limits: nesting, number length, string length; wherever they are.
                refused("{\"name\":" + "[".repeat(32) + "]".repeat(32) + "}", TOO_DEEP_OR_LONG),
                refused("[".repeat(33) + "]".repeat(33), TOO_DEEP_OR_LONG),
                refused("{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}", TOO_DEEP_OR_LONG),
                refused("{\"name\":" + "9".repeat(65) + ",\"email\":\"a@b.co\"}", TOO_DEEP_OR_LONG),
                refused("{\"name\":1." + "9".repeat(70) + ",\"email\":\"a@b.co\"}", TOO_DEEP_OR_LONG),
                refused("{\"x\":" + "9".repeat(200) + "}", TOO_DEEP_OR_LONG),
                refused(
                        "{\"x\":[\"" + "s".repeat(70_000) + "\"],\"name\":\"a\",\"email\":\"a@b.co\"}",
                        TOO_DEEP_OR_LONG),
                refused("{\"name\":\"" + "s".repeat(70_000) + "\",\"email\":\"a@b.co\"}", TOO_DEEP_OR_LONG),
                // JSON, but not an object.
                refused("", NOT_AN_OBJECT),
                refused(" \n\t", NOT_AN_OBJECT),
                refused("[]", NOT_AN_OBJECT),
                refused("[{\"name\":\"a\",\"email\":\"a@b.co\"}]", NOT_AN_OBJECT),
                refused("null", NOT_AN_OBJECT),
                refused("true", NOT_AN_OBJECT),
                refused("42", NOT_AN_OBJECT),
                refused("1e999", NOT_AN_OBJECT),
                refused("\"s\"", NOT_AN_OBJECT),
                refused("[".repeat(32) + "]".repeat(32), NOT_AN_OBJECT),
                // An object, with members of the wrong type, missing, or unknown.
                refused("{}", "validation | 2 fields are invalid; see errors | name: is required; email: is required"),
                refused(
                        "{\"name\":null,\"email\":null}",
                        "validation | 2 fields are invalid; see errors | name: is required; email: is required"),
                refused(
                        "{\"name\":1,\"email\":\"a@b.co\"}",
                        "validation | name: must be a string, got number | name: must be a string, got number"),
                refused(
                        "{\"name\":-1.5e5,\"email\":\"a@b.co\"}",
                        "validation | name: must be a string, got number | name: must be a string, got number"),
                refused(
                        "{\"name\":" + "9".repeat(64) + ",\"email\":\"a@b.co\"}",
                        "validation | name: must be a string, got number | name: must be a string, got number"),
                refused(
                        "{\"name\":1e99999,\"email\":\"a@b.co\"}",
                        "validation | name: must be a string, got number | name: must be a string, got number"),
                refused(
                        "{\"name\":true,\"email\":false}",
                        "validation | 2 fields are invalid; see errors | name: must be a string, got boolean; "
                                + "email: must be a string, got boolean"),
                refused(
                        "{\"name\":[],\"email\":{}}",
                        "validation | 2 fields are invalid; see errors | name: must be a string, got array; "
                                + "email: must be a string, got object"),
                refused(
                        "{\"name\":[\"a\"],\"email\":[1,[2,{\"k\":[\"v\"]}]]}",
                        "validation | 2 fields are invalid; see errors | name: must be a string, got array; "
                                + "email: must be a string, got array"),
                refused(
                        "{\"name\":{\"first\":\"a\"},\"email\":\"a@b.co\"}",
                        "validation | name: must be a string, got object | name: must be a string, got object"),
                refused(
                        "{\"name\":" + "[".repeat(31) + "]".repeat(31) + "}",
                        "validation | 2 fields are invalid; see errors | name: must be a string, got array; "
                                + "email: is required"),
                refused(
                        "{\"Name\":\"a\",\"email\":\"a@b.co\"}",
                        "validation | 2 fields are invalid; see errors | "
                                + "Name: unknown field; only name and email are accepted; name: is required"),
                refused(
                        "{\"zz\":1,\"aa\":{},\"name\":\"a\",\"email\":\"a@b.co\",\"id\":[]}",
                        "validation | 3 fields are invalid; see errors | "
                                + "zz: unknown field; only name and email are accepted; "
                                + "aa: unknown field; only name and email are accepted; "
                                + "id: unknown field; only name and email are accepted"),
                refused(
                        "{\"role\":1,\"name\":\"\",\"email\":{}}",
                        "validation | 3 fields are invalid; see errors | "
                                + "role: unknown field; only name and email are accepted; "
                                + "email: must be a string, got object; name: must not be blank"),
                // Strings, but not a name or an address.
                refused(
                        "{\"name\":\"\",\"email\":\"bad\"}",
                        "validation | 2 fields are invalid; see errors | name: must not be blank; "
                                + "email: must be an address like name@example.org (ASCII only)"),
                refused(
                        "{\"name\":\"a\\u0007b\",\"email\":\"ok@example.org\"}",
                        "validation | name: must not contain control, format or unassigned characters | "
                                + "name: must not contain control, format or unassigned characters"),
                refused(
                        "{\"name\":\"a\\ud800b\",\"email\":\"ok@example.org\"}",
                        "validation | name: must not contain control, format or unassigned characters | "
                                + "name: must not contain control, format or unassigned characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void answersEachKindOfBadBodyInItsOwnWords(String body, String expected) {
        assertThat(refusal(body.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }

    @Test
    void aValidBodyIsTrimmedAndNormalised() {
        assertThat(NewUserParser.parse(bytes(OK))).isEqualTo(new NewUser("a", "a@b.co"));
        assertThat(NewUserParser.parse(bytes("{\"email\":\"  ann@example.org \",\"name\":\"  e\\u0301  \"}")))
                .isEqualTo(new NewUser("\u00e9", "ann@example.org"));
        assertThat(NewUserParser.parse(bytes(" \r\n\t" + OK + "\r\n\t "))).isEqualTo(new NewUser("a", "a@b.co"));
    }

    @Test
    void theLongestNameAndAddressAreAccepted() {
        String name = "\uD83D\uDE00".repeat(NewUserParser.MAX_NAME_LENGTH); // code points, not UTF-16 units
        String email = "l".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(57) + ".org";
        assertThat(email).hasSize(NewUserParser.MAX_EMAIL_LENGTH);

        assertThat(NewUserParser.parse(bytes("{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}")))
                .isEqualTo(new NewUser(name, email));
        assertThat(refusal(bytes("{\"name\":\"" + name + "x\",\"email\":\"x" + email + "\"}")))
                .isEqualTo("validation | 2 fields are invalid; see errors | name: must be at most 100 characters, "
                        + "got 101; email: must be at most 254 characters");
        assertThat(refusal(bytes("{\"name\":\"a\",\"email\":\"l" + email.substring(0, 200) + ".org\"}")))
                .as("local part of 65")
                .isEqualTo("validation | email: must be an address like name@example.org (ASCII only) | "
                        + "email: must be an address like name@example.org (ASCII only)");
    }

    @Test
    void theEncodingIsDetectedAsJsonAllows() {
        assertThat(NewUserParser.parse(bytes("\uFEFF" + OK)))
                .as("UTF-8 byte order mark")
                .isEqualTo(new NewUser("a", "a@b.co"));
        assertThat(NewUserParser.parse(OK.getBytes(StandardCharsets.UTF_16BE)))
                .as("UTF-16")
                .isEqualTo(new NewUser("a", "a@b.co"));
    }

    @Test
    void invalidUtf8IsMalformedJson() {
        byte[] body = {'{', '"', 'n', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'};
        assertThat(refusal(body)).isEqualTo("malformed_json | the body is not valid JSON (line 1, column 9)");
    }

    @Test
    void everyRefusalIsAnInvalidInputEventWithAStableType() {
        ProblemException malformed = refuse(bytes("{"));
        assertThat(malformed.event()).contains(SecurityEvent.INVALID_INPUT);
        assertThat(malformed.problem().status()).isEqualTo(400);
        assertThat(malformed.problem().type()).isEqualTo(Problem.TYPE_PREFIX + "malformed-body");
        assertThat(malformed.problem().title()).isEqualTo("Malformed request body");
        assertThat(refuse(bytes("[]")).problem().type()).isEqualTo(Problem.TYPE_PREFIX + "malformed-body");
        ProblemException invalid = refuse(bytes("{}"));
        assertThat(invalid.problem().type()).isEqualTo(Problem.TYPE_PREFIX + "validation-failed");
        assertThat(invalid.problem().title()).isEqualTo("Invalid user");
    }

    private static Arguments refused(String body, String expected) {
        String shown = body.isBlank()
                ? "blank " + body.length()
                : body.length() > 80 ? body.substring(0, 77) + "…(" + body.length() + ")" : body;
        return Arguments.of(Named.of(shown, body), expected);
    }

    private static String refusal(byte[] body) {
        ProblemException e = refuse(body);
        String errors = e.problem().errors().stream()
                .map(error -> error.field() + ": " + error.message())
                .collect(Collectors.joining("; "));
        return e.reason() + " | " + e.problem().detail() + (errors.isEmpty() ? "" : " | " + errors);
    }

    private static ProblemException refuse(byte[] body) {
        return catchThrowableOfType(ProblemException.class, () -> NewUserParser.parse(body));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
