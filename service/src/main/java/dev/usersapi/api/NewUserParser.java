package dev.usersapi.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.usersapi.http.Json;
import dev.usersapi.http.Problem.FieldError;
import dev.usersapi.http.ProblemException;
import dev.usersapi.store.NewUser;
import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a request body into a {@link NewUser}, or a 400 that lists every problem at once: the body must be
 * a JSON object with exactly the string fields {@code name} and {@code email}.
 */
final class NewUserParser {
    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_EMAIL_LENGTH = 254;
    private static final int MAX_LOCAL_PART_LENGTH = 64;
    /** A pragmatic subset of RFC 5321 addresses: ASCII local part, dotted host name with a letter TLD. */
    private static final Pattern EMAIL =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");

    private NewUserParser() {}

    /** The root object's members as read: unknown names in order; name and email with their first token. */
    private static final class Members {
        final List<String> unknown = new ArrayList<>();
        Member name;
        Member email;
    }

    /** A member's value: its first token, and its text when that is a string. */
    private record Member(JsonToken token, String text) {}

    static NewUser parse(byte[] body) {
        Members root;
        try (JsonParser parser = Json.FACTORY.createParser(body)) {
            root = read(parser);
        } catch (StreamConstraintsException e) {
            throw ProblemException.invalidInput(
                    "malformed_json",
                    "malformed-body",
                    "Malformed request body",
                    "the body is nested, or its values are, deeper or longer than a user needs",
                    List.of());
        } catch (JsonProcessingException e) {
            // Jackson's own message names its features and constraints: tell the client where, not how to configure us.
            throw ProblemException.invalidInput(
                    "malformed_json",
                    "malformed-body",
                    "Malformed request body",
                    "the body is not valid JSON" + where(e.getLocation()),
                    List.of());
        } catch (IOException e) {
            throw ProblemException.invalidInput(
                    "malformed_json",
                    "malformed-body",
                    "Malformed request body",
                    "the body could not be read as JSON",
                    List.of());
        }
        if (root == null) {
            throw ProblemException.invalidInput(
                    "not_an_object",
                    "malformed-body",
                    "Malformed request body",
                    "the body must be a JSON object with fields name and email",
                    List.of());
        }
        List<FieldError> errors = new ArrayList<>();
        for (String field : root.unknown) {
            errors.add(new FieldError(field, "unknown field; only name and email are accepted"));
        }
        String name = text("name", root.name, errors);
        String email = text("email", root.email, errors);
        if (name != null) {
            name = Normalizer.normalize(name.strip(), Normalizer.Form.NFC);
            validateName(name, errors);
        }
        if (email != null) {
            email = email.strip();
            validateEmail(email, errors);
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidInput(
                    "validation",
                    "validation-failed",
                    "Invalid user",
                    errors.size() == 1
                            ? errors.get(0).field() + ": " + errors.get(0).message()
                            : errors.size() + " fields are invalid; see errors",
                    errors);
        }
        return new NewUser(name, email);
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /**
     * Reads the whole body before judging it, so that a syntax error or a limit anywhere wins over a wrong member;
     * null when the root value is not an object.
     */
    private static Members read(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        Members members = null;
        if (first == JsonToken.START_OBJECT) {
            members = new Members();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                Member value = new Member(token, token == JsonToken.VALUE_STRING ? parser.getText() : null);
                skipValue(parser);
                switch (field) {
                    case "name" -> members.name = value;
                    case "email" -> members.email = value;
                    default -> members.unknown.add(field);
                }
            }
        } else if (first != null) {
            skipValue(parser);
        }
        Json.requireEnd(parser);
        return members;
    }

    /**
     * Moves past the value whose first token is current. Strings are decoded as they pass: only decoding checks a
     * string against the length limit, and a limit holds wherever the string is.
     */
    private static void skipValue(JsonParser parser) throws IOException {
        int depth = 0;
        JsonToken token = parser.currentToken();
        while (true) {
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            } else if (token == JsonToken.VALUE_STRING) {
                parser.getTextCharacters();
            }
            if (depth == 0) {
                return;
            }
            token = parser.nextToken();
        }
    }

    private static String text(String field, Member value, List<FieldError> errors) {
        if (value == null || value.token() == JsonToken.VALUE_NULL) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (value.token() != JsonToken.VALUE_STRING) {
            errors.add(new FieldError(field, "must be a string, got " + jsonType(value.token())));
            return null;
        }
        return value.text();
    }

    /** The JSON type of a value, from its first token (strings and null are handled before). */
    private static String jsonType(JsonToken first) {
        return switch (first) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            default -> throw new IllegalStateException("not the first token of a value: " + first);
        };
    }

    private static void validateName(String name, List<FieldError> errors) {
        int length = name.codePointCount(0, name.length());
        if (length == 0) {
            errors.add(new FieldError("name", "must not be blank"));
        } else if (length > MAX_NAME_LENGTH) {
            errors.add(new FieldError("name", "must be at most " + MAX_NAME_LENGTH + " characters, got " + length));
        } else if (!name.codePoints().allMatch(NewUserParser::allowedInName)) {
            errors.add(new FieldError("name", "must not contain control, format or unassigned characters"));
        }
    }

    private static boolean allowedInName(int cp) {
        int type = Character.getType(cp);
        return type != Character.CONTROL
                && type != Character.FORMAT
                && type != Character.UNASSIGNED
                && type != Character.SURROGATE
                && type != Character.PRIVATE_USE
                && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR;
    }

    private static void validateEmail(String email, List<FieldError> errors) {
        if (email.isEmpty()) {
            errors.add(new FieldError("email", "must not be blank"));
        } else if (email.length() > MAX_EMAIL_LENGTH) {
            errors.add(new FieldError("email", "must be at most " + MAX_EMAIL_LENGTH + " characters"));
        } else if (!EMAIL.matcher(email).matches() || email.indexOf('@') > MAX_LOCAL_PART_LENGTH) {
            errors.add(new FieldError("email", "must be an address like name@example.org (ASCII only)"));
        }
    }
}
