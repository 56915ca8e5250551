package dev.usersapi.policy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;

/** The valid fixture, rendered once, handed out as fresh copies that a test may mutate in memory. */
final class ValidFixture {

    private ValidFixture() {}

    static List<KubeObject> objects() {
        KustomizeRenderer.Outcome outcome =
                KustomizeRenderer.shared().render(TestRepository.fixtures().resolve("valid"));
        if (!outcome.ok()) {
            throw new IllegalStateException("the valid fixture does not render: " + outcome.error());
        }
        List<KubeObject> copies = new ArrayList<>();
        for (JsonElement doc : YamlDocuments.parse(outcome.yaml())) {
            copies.add(new KubeObject(doc.getAsJsonObject().deepCopy()));
        }
        return copies;
    }

    static KubeObject object(List<KubeObject> objects, String kind) {
        return objects.stream().filter(o -> o.is(kind)).findFirst().orElseThrow(() -> new AssertionError("no " + kind));
    }

    static Render render(List<KubeObject> objects) {
        return new Render("fixture", objects);
    }

    /** Sets a value at a dotted path ({@code spec.template.spec.containers.0.image}); the value is JSON text. */
    static void set(KubeObject o, String path, String json) {
        String[] keys = path.split("\\.");
        JsonElement parent = navigate(o.body(), keys);
        JsonElement value = JsonParser.parseString(json);
        String last = keys[keys.length - 1];
        if (parent instanceof JsonArray array) {
            array.set(Integer.parseInt(last), value);
        } else {
            parent.getAsJsonObject().add(last, value);
        }
    }

    static void remove(KubeObject o, String path) {
        String[] keys = path.split("\\.");
        JsonElement parent = navigate(o.body(), keys);
        String last = keys[keys.length - 1];
        if (parent instanceof JsonArray array) {
            array.remove(Integer.parseInt(last));
        } else if (parent.getAsJsonObject().remove(last) == null) {
            throw new AssertionError("nothing to remove at " + path);
        }
    }

    private static JsonElement navigate(JsonObject root, String[] keys) {
        JsonElement current = root;
        for (int i = 0; i < keys.length - 1; i++) {
            String key = keys[i];
            JsonElement next = current.isJsonArray()
                    ? current.getAsJsonArray().get(Integer.parseInt(key))
                    : current.getAsJsonObject().get(key);
            if (next == null) {
                next = new JsonObject();
                current.getAsJsonObject().add(key, next);
            }
            current = next;
        }
        return current;
    }
}
