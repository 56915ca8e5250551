package dev.usersapi.policy.schema;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.annotations.SerializedName;
import dev.usersapi.policy.Json;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.QuantityFormatException;
import io.kubernetes.client.custom.QuantityFormatter;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Strict validation against the Kubernetes API models of client-java: the generated classes list each kind's fields
 * ({@code @SerializedName}), their Java types and the required ones. Unlike kustomize or a YAML parser this rejects
 * unknown fields ({@code replica:}), wrong types and missing required fields, and it reports every problem with its
 * path instead of stopping at the first.
 */
public final class ModelValidator {

    private final Map<Class<?>, Map<String, Field>> fieldsByModel = new ConcurrentHashMap<>();

    /** Every violation in {@code value} read as an instance of {@code model}, paths relative to {@code path}. */
    public List<Violation> validate(Class<?> model, JsonElement value, String path) {
        List<Violation> out = new ArrayList<>();
        walk(model, value, path, out);
        return out;
    }

    /**
     * The library's own check, as a second opinion; it stops at the first problem and names no path, so its message
     * is reported only when the walk above found nothing.
     */
    public java.util.Optional<String> libraryCheck(Class<?> model, JsonElement value) {
        try {
            model.getMethod("validateJsonElement", JsonElement.class).invoke(null, value);
            return java.util.Optional.empty();
        } catch (InvocationTargetException e) {
            String message = String.valueOf(e.getCause().getMessage());
            int json = message.indexOf(" JSON: ");
            return java.util.Optional.of(json < 0 ? message : message.substring(0, json));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(model + " has no validateJsonElement", e);
        }
    }

    private void walk(Type type, JsonElement value, String path, List<Violation> out) {
        if (value == null || value.isJsonNull()) {
            return; // null is "not set" for the API server
        }
        Class<?> raw = raw(type);
        if (raw == String.class) {
            Violation.expect(Json.isString(value), "a string", value, path, out);
        } else if (raw == Integer.class || raw == int.class) {
            integer(value, path, out, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE));
        } else if (raw == Long.class || raw == long.class) {
            integer(value, path, out, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE));
        } else if (raw == Double.class || raw == Float.class || raw == BigDecimal.class) {
            Violation.expect(Json.isNumber(value), "a number", value, path, out);
        } else if (raw == Boolean.class || raw == boolean.class) {
            Violation.expect(Json.isBoolean(value), "a boolean", value, path, out);
        } else if (raw == IntOrString.class) {
            Violation.expect(Json.isString(value) || Json.isIntegral(value), "an integer or string", value, path, out);
        } else if (raw == Quantity.class) {
            quantity(value, path, out);
        } else if (raw == OffsetDateTime.class) {
            Violation.expect(
                    parses(value, s -> OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)),
                    "an RFC 3339 date-time",
                    value,
                    path,
                    out);
        } else if (raw == byte[].class) {
            Violation.expect(parses(value, s -> Base64.getDecoder().decode(s)), "base64 data", value, path, out);
        } else if (raw == Object.class) {
            return; // free-form (JSON schema defaults, examples)
        } else if (List.class.isAssignableFrom(raw)) {
            list(type, value, path, out);
        } else if (Map.class.isAssignableFrom(raw)) {
            map(type, value, path, out);
        } else if (raw.getPackageName().equals(BuiltinKinds.MODEL_PACKAGE)) {
            model(raw, value, path, out);
        } else {
            throw new IllegalStateException("no validation for " + type + " at " + path);
        }
    }

    private void model(Class<?> model, JsonElement value, String path, List<Violation> out) {
        if (!value.isJsonObject()) {
            out.add(new Violation(
                    path, "expected an object (" + model.getSimpleName() + "), got " + Paths.describe(value)));
            return;
        }
        JsonObject object = value.getAsJsonObject();
        Map<String, Field> fields = fields(model);
        for (Map.Entry<String, JsonElement> e : object.entrySet()) {
            String child = Paths.field(path, e.getKey());
            Field field = fields.get(e.getKey());
            if (field == null) {
                out.add(new Violation(
                        child, Suggestions.unknownField(e.getKey(), fields.keySet()) + " in " + model.getSimpleName()));
            } else {
                walk(field.getGenericType(), e.getValue(), child, out);
            }
        }
        for (String required : required(model)) {
            JsonElement v = object.get(required);
            if (v == null || v.isJsonNull()) {
                out.add(new Violation(
                        Paths.field(path, required), "required field missing in " + model.getSimpleName()));
            }
        }
    }

    private void list(Type type, JsonElement value, String path, List<Violation> out) {
        if (!value.isJsonArray()) {
            out.add(new Violation(path, "expected a list, got " + Paths.describe(value)));
            return;
        }
        Type element = typeArgument(type, 0);
        JsonArray array = value.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            walk(element, array.get(i), Paths.element(path, i, array.get(i)), out);
        }
    }

    private void map(Type type, JsonElement value, String path, List<Violation> out) {
        if (!value.isJsonObject()) {
            out.add(new Violation(path, "expected a map, got " + Paths.describe(value)));
            return;
        }
        Type element = typeArgument(type, 1);
        value.getAsJsonObject()
                .entrySet()
                .forEach(e -> walk(element, e.getValue(), Paths.field(path, e.getKey()), out));
    }

    private static void integer(JsonElement value, String path, List<Violation> out, BigInteger min, BigInteger max) {
        if (!Json.isIntegral(value)) {
            out.add(new Violation(path, "expected an integer, got " + Paths.describe(value)));
            return;
        }
        BigInteger n = value.getAsBigDecimal().toBigIntegerExact();
        if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
            out.add(new Violation(path, "integer " + n + " out of range"));
        }
    }

    private static void quantity(JsonElement value, String path, List<Violation> out) {
        if (!Json.isString(value) && !Json.isNumber(value)) {
            out.add(new Violation(path, "expected a quantity (e.g. 250m, 256Mi), got " + Paths.describe(value)));
            return;
        }
        try {
            new QuantityFormatter().parse(value.getAsString());
        } catch (QuantityFormatException | NumberFormatException | ArithmeticException e) {
            out.add(new Violation(path, "not a quantity (e.g. 250m, 256Mi): " + Paths.describe(value)));
        }
    }

    /** Whether the value is a string that {@code parser} accepts. */
    private static boolean parses(JsonElement value, Consumer<String> parser) {
        if (!Json.isString(value)) {
            return false;
        }
        try {
            parser.accept(value.getAsString());
            return true;
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return false;
        }
    }

    private Map<String, Field> fields(Class<?> model) {
        return fieldsByModel.computeIfAbsent(model, m -> {
            Map<String, Field> fields = new LinkedHashMap<>();
            for (Field f : m.getDeclaredFields()) {
                SerializedName name = f.getAnnotation(SerializedName.class);
                if (name != null && !Modifier.isStatic(f.getModifiers())) {
                    fields.put(name.value(), f);
                }
            }
            if (fields.isEmpty()) {
                throw new IllegalStateException(m + " has no serialized fields");
            }
            return Collections.unmodifiableMap(fields);
        });
    }

    @SuppressWarnings("unchecked")
    private static Set<String> required(Class<?> model) {
        try {
            return (Set<String>) model.getField("openapiRequiredFields").get(null);
        } catch (ReflectiveOperationException e) {
            return Set.of();
        }
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported type " + type);
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }
}
