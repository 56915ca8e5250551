package dev.usersapi.policy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads multi-document YAML into JSON trees with YAML 1.2 typing (the core schema): only true/false are booleans
 * and dates stay strings, which is how the API server reads the JSON that kubectl sends it.
 */
public final class YamlDocuments {

    private YamlDocuments() {}

    /** Every non-empty document of the text; throws on YAML syntax errors. */
    public static List<JsonElement> parse(String text) {
        Load load = new Load(LoadSettings.builder()
                .setAllowDuplicateKeys(false)
                .setCodePointLimit(64 * 1024 * 1024)
                .build());
        List<JsonElement> documents = new ArrayList<>();
        for (Object document : load.loadAllFromString(text)) {
            if (document != null) {
                documents.add(toJson(document));
            }
        }
        return documents;
    }

    /** The text's only document if it is a mapping (a kustomization, an inventory); empty for none, several or a scalar. */
    public static Optional<JsonObject> soleMapping(String text) {
        List<JsonElement> documents = parse(text);
        return documents.size() == 1 && documents.get(0).isJsonObject()
                ? Optional.of(documents.get(0).getAsJsonObject())
                : Optional.empty();
    }

    /** The objects of a multi-document YAML text (a render): every document that is a mapping; throws on syntax errors. */
    public static List<KubeObject> objects(String text) {
        return parse(text).stream()
                .filter(JsonElement::isJsonObject)
                .map(doc -> new KubeObject(doc.getAsJsonObject()))
                .toList();
    }

    static JsonElement toJson(Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObject object = new JsonObject();
            map.forEach((k, v) -> object.add(String.valueOf(k), toJson(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(v -> array.add(toJson(v)));
            return array;
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (value instanceof Integer
                || value instanceof Long
                || value instanceof BigInteger
                || value instanceof Double
                || value instanceof Float) {
            return new JsonPrimitive((Number) value);
        }
        if (value instanceof byte[] bytes) { // !!binary
            return new JsonPrimitive(java.util.Base64.getEncoder().encodeToString(bytes));
        }
        return new JsonPrimitive(value.toString());
    }
}
