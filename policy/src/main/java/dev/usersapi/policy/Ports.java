package dev.usersapi.policy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Optional;

/** Container ports of pod templates, looked up by name or number. */
final class Ports {

    private Ports() {}

    /** The container port a reference (a name or a number) points to in one container. */
    static Optional<JsonObject> in(PodTemplate.Container c, JsonElement ref) {
        for (JsonObject port : Json.objects(c.body(), "ports")) {
            if (Json.isString(ref)
                    && Json.string(port, "name")
                            .filter(ref.getAsString()::equals)
                            .isPresent()) {
                return Optional.of(port);
            }
            if (Json.isIntegral(ref)
                    && Json.integer(port, "containerPort")
                            .filter(p -> p == ref.getAsLong())
                            .isPresent()) {
                return Optional.of(port);
            }
        }
        return Optional.empty();
    }

    /** The first container port of any container of the pods that a reference points to. */
    static Optional<JsonObject> in(List<PodTemplate> pods, JsonElement ref) {
        for (PodTemplate pod : pods) {
            for (PodTemplate.Container c : pod.containersAndInit()) {
                Optional<JsonObject> port = in(c, ref);
                if (port.isPresent()) {
                    return port;
                }
            }
        }
        return Optional.empty();
    }

    static String describe(JsonElement ref) {
        return Json.isString(ref) ? "named " + ref.getAsString() : ref.toString();
    }
}
