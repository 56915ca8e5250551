package dev.usersapi.policy;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Optional;

/** The value a container's environment variable will have, read from the render as the kubelet would assemble it. */
final class EnvResolver {

    /** A resolved value and where it came from, for messages. */
    record Value(String value, String source) {}

    private EnvResolver() {}

    /**
     * The variable's value: an explicit {@code env} entry wins over {@code envFrom}; among envFrom sources the last
     * wins. Empty when unset, or set from a Secret or field whose value the render does not show.
     */
    static Optional<Value> resolve(Render render, String namespace, PodTemplate.Container c, String name) {
        for (JsonObject env : Json.objects(c.body(), "env")) {
            if (!Json.string(env, "name").filter(name::equals).isPresent()) {
                continue;
            }
            Optional<String> literal = Json.string(env, "value");
            if (literal.isPresent()) {
                return Optional.of(new Value(literal.get(), "env of container " + c.name()));
            }
            return Json.object(env, "valueFrom", "configMapKeyRef").flatMap(ref -> {
                String map = Json.string(ref, "name").orElse("");
                String key = Json.string(ref, "key").orElse("");
                return configMapValue(render, namespace, map, key).map(v -> new Value(v, "ConfigMap " + map));
            });
        }
        Optional<Value> found = Optional.empty();
        for (JsonObject from : Json.objects(c.body(), "envFrom")) {
            String prefix = Json.string(from, "prefix").orElse("");
            Optional<JsonObject> ref = Json.object(from, "configMapRef");
            if (ref.isEmpty() || !name.startsWith(prefix)) {
                continue;
            }
            String map = Json.string(ref.get(), "name").orElse("");
            Optional<String> v = configMapValue(render, namespace, map, name.substring(prefix.length()));
            if (v.isPresent()) {
                found = Optional.of(new Value(v.get(), "ConfigMap " + map));
            }
        }
        return found;
    }

    private static Optional<String> configMapValue(Render render, String namespace, String map, String key) {
        return render.find("ConfigMap", namespace, map).flatMap(cm -> Json.string(cm.body(), "data", key));
    }

    static List<String> names(PodTemplate.Container c) {
        return Json.objects(c.body(), "env").stream()
                .map(e -> Json.string(e, "name").orElse(""))
                .toList();
    }
}
