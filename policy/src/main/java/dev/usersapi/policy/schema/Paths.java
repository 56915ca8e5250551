package dev.usersapi.policy.schema;

import com.google.gson.JsonElement;
import dev.usersapi.policy.Json;

/** Field paths as findings print them: {@code spec.template.spec.containers[users-api].ports[http]}. */
final class Paths {

    private Paths() {}

    static String field(String parent, String key) {
        String k = Json.key(key);
        if (parent.isEmpty()) {
            return k.startsWith(".") ? k.substring(1) : k;
        }
        return parent + k;
    }

    /** A list element is named by its {@code name} when it has one (lists of containers, ports, env), else by index. */
    static String element(String parent, int index, JsonElement element) {
        String name = Json.string(element, "name").orElse(null);
        return parent + "[" + (name != null && !name.isEmpty() ? name : String.valueOf(index)) + "]";
    }

    static String describe(JsonElement value) {
        if (value.isJsonObject()) {
            return "an object";
        }
        if (value.isJsonArray()) {
            return "a list";
        }
        if (value.getAsJsonPrimitive().isBoolean()) {
            return "boolean " + value.getAsBoolean();
        }
        if (value.getAsJsonPrimitive().isNumber()) {
            return "number " + value.getAsString();
        }
        String s = value.getAsString();
        return "string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }
}
