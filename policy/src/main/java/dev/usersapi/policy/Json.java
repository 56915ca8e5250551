package dev.usersapi.policy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Null-safe reads of a Gson tree: a missing or mistyped value is an empty Optional, never an exception. */
public final class Json {

    private Json() {}

    public static Optional<JsonElement> at(JsonElement root, String... path) {
        JsonElement current = root;
        for (String key : path) {
            if (current == null || !current.isJsonObject()) {
                return Optional.empty();
            }
            current = current.getAsJsonObject().get(key);
        }
        return current == null || current.isJsonNull() ? Optional.empty() : Optional.of(current);
    }

    public static Optional<JsonObject> object(JsonElement root, String... path) {
        return at(root, path).filter(JsonElement::isJsonObject).map(JsonElement::getAsJsonObject);
    }

    public static List<JsonObject> objects(JsonElement root, String... path) {
        List<JsonObject> result = new ArrayList<>();
        at(root, path)
                .filter(JsonElement::isJsonArray)
                .ifPresent(array -> array.getAsJsonArray().forEach(e -> {
                    if (e.isJsonObject()) {
                        result.add(e.getAsJsonObject());
                    }
                }));
        return result;
    }

    public static List<String> strings(JsonElement root, String... path) {
        List<String> result = new ArrayList<>();
        at(root, path)
                .filter(JsonElement::isJsonArray)
                .map(JsonElement::getAsJsonArray)
                .ifPresent(array -> {
                    for (JsonElement e : array) {
                        if (isString(e)) {
                            result.add(e.getAsString());
                        }
                    }
                });
        return result;
    }

    public static Optional<String> string(JsonElement root, String... path) {
        return at(root, path).filter(Json::isString).map(JsonElement::getAsString);
    }

    public static Optional<Boolean> bool(JsonElement root, String... path) {
        return at(root, path).filter(Json::isBoolean).map(JsonElement::getAsBoolean);
    }

    public static Optional<Long> integer(JsonElement root, String... path) {
        return at(root, path).filter(Json::isIntegral).map(JsonElement::getAsLong);
    }

    /** A string-to-string map such as labels; entries with non-string values are left out. */
    public static Map<String, String> stringMap(JsonElement root, String... path) {
        Map<String, String> result = new LinkedHashMap<>();
        object(root, path)
                .ifPresent(o -> o.entrySet().forEach(e -> {
                    if (isString(e.getValue())) {
                        result.put(e.getKey(), e.getValue().getAsString());
                    }
                }));
        return result;
    }

    public static boolean isString(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    public static boolean isNumber(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber();
    }

    public static boolean isBoolean(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean();
    }

    public static boolean isIntegral(JsonElement e) {
        if (!isNumber(e)) {
            return false;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        try {
            p.getAsBigDecimal().toBigIntegerExact();
            return true;
        } catch (ArithmeticException notWhole) {
            return false;
        }
    }

    public static JsonArray array(JsonElement root, String... path) {
        return at(root, path)
                .filter(JsonElement::isJsonArray)
                .map(JsonElement::getAsJsonArray)
                .orElseGet(JsonArray::new);
    }

    /** A map key as it should appear in a field path: plain when it is a simple word, quoted otherwise. */
    public static String key(String key) {
        return key.matches("[A-Za-z_][A-Za-z0-9_-]*") ? "." + key : "[\"" + key + "\"]";
    }
}
