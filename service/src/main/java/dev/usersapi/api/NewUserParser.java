package dev.usersapi.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.usersapi.http.Json;
import dev.usersapi.http.Problem.FieldError;
import dev.usersapi.http.ProblemException;
import dev.usersapi.store.NewUser;
import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    private static final List<String> FIELDS = List.of("name", "email");

    private NewUserParser() {}

    static NewUser parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
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
        if (root == null || !root.isObject()) {
            throw ProblemException.invalidInput(
                    "not_an_object",
                    "malformed-body",
                    "Malformed request body",
                    "the body must be a JSON object with fields name and email",
                    List.of());
        }
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : root.properties()) {
            String field = property.getKey();
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(field, "unknown field; only name and email are accepted"));
            }
        }
        String name = text(root, "name", errors);
        String email = text(root, "email", errors);
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

    private static String text(JsonNode root, String field, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(
                    field, "must be a string, got " + node.getNodeType().name().toLowerCase(Locale.ROOT)));
            return null;
        }
        return node.textValue();
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
