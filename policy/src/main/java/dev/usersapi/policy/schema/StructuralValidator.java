package dev.usersapi.policy.schema;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.usersapi.policy.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates a custom resource against the structural OpenAPI v3 schema of its CustomResourceDefinition, the way the
 * API server does for the parts that matter here: types, required fields, enums, and no field the schema does not
 * declare (unless the schema says {@code x-kubernetes-preserve-unknown-fields}).
 */
public final class StructuralValidator {

    public List<Violation> validate(JsonObject schema, JsonElement value, String path) {
        List<Violation> out = new ArrayList<>();
        walk(schema, value, path, out);
        return out;
    }

    private void walk(JsonObject schema, JsonElement value, String path, List<Violation> out) {
        if (value == null || value.isJsonNull()) {
            return;
        }
        JsonArray allowed = Json.array(schema, "enum");
        if (!allowed.isEmpty() && !allowed.contains(value)) {
            out.add(new Violation(path, "must be one of " + allowed + ", got " + Paths.describe(value)));
        }
        if (Json.bool(schema, "x-kubernetes-int-or-string").orElse(false)) {
            Violation.expect(Json.isString(value) || Json.isIntegral(value), "an integer or string", value, path, out);
            return;
        }
        boolean preserveUnknown =
                Json.bool(schema, "x-kubernetes-preserve-unknown-fields").orElse(false);
        switch (Json.string(schema, "type").orElse("")) {
            case "object" -> object(schema, value, path, preserveUnknown, out);
            case "array" -> {
                if (!value.isJsonArray()) {
                    out.add(new Violation(path, "expected a list, got " + Paths.describe(value)));
                    return;
                }
                JsonObject items = Json.object(schema, "items").orElse(null);
                JsonArray array = value.getAsJsonArray();
                for (int i = 0; items != null && i < array.size(); i++) {
                    walk(items, array.get(i), Paths.element(path, i, array.get(i)), out);
                }
            }
            case "string" -> Violation.expect(Json.isString(value), "a string", value, path, out);
            case "integer" -> Violation.expect(Json.isIntegral(value), "an integer", value, path, out);
            case "number" -> Violation.expect(Json.isNumber(value), "a number", value, path, out);
            case "boolean" -> Violation.expect(Json.isBoolean(value), "a boolean", value, path, out);
            case "" -> {
                if (!preserveUnknown) {
                    out.add(new Violation(path, "the schema gives no type here and does not preserve unknown fields"));
                }
            }
            default ->
                out.add(new Violation(
                        path,
                        "the schema has an unknown type "
                                + Json.string(schema, "type").orElse("")));
        }
    }

    private void object(
            JsonObject schema, JsonElement value, String path, boolean preserveUnknown, List<Violation> out) {
        if (!value.isJsonObject()) {
            out.add(new Violation(path, "expected an object, got " + Paths.describe(value)));
            return;
        }
        JsonObject properties = Json.object(schema, "properties").orElseGet(JsonObject::new);
        JsonObject additional = Json.object(schema, "additionalProperties").orElse(null);
        for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
            String child = Paths.field(path, e.getKey());
            JsonObject property = Json.object(properties, e.getKey()).orElse(null);
            if (property != null) {
                walk(property, e.getValue(), child, out);
            } else if (additional != null) {
                walk(additional, e.getValue(), child, out);
            } else if (!preserveUnknown) {
                out.add(new Violation(child, Suggestions.unknownField(e.getKey(), properties.keySet())));
            }
        }
        for (String required : Json.strings(schema, "required")) {
            JsonElement v = value.getAsJsonObject().get(required);
            if (v == null || v.isJsonNull()) {
                out.add(new Violation(Paths.field(path, required), "required field missing"));
            }
        }
    }
}
