package dev.usersapi.policy;

import com.google.gson.JsonObject;

/** One rendered Kubernetes object, as the JSON tree the API server would receive. */
public record KubeObject(JsonObject body) {

    public String apiVersion() {
        return Json.string(body, "apiVersion").orElse("");
    }

    public String kind() {
        return Json.string(body, "kind").orElse("");
    }

    /** The API group: empty for the core group ({@code v1}). */
    public String group() {
        return GroupKind.groupOf(apiVersion());
    }

    public String name() {
        return Json.string(body, "metadata", "name").orElse("");
    }

    /** The namespace, or empty when the render leaves it to the environment (a base) or the kind is cluster-scoped. */
    public String namespace() {
        return Json.string(body, "metadata", "namespace").orElse("");
    }

    public JsonObject metadata() {
        return Json.object(body, "metadata").orElseGet(JsonObject::new);
    }

    public JsonObject spec() {
        return Json.object(body, "spec").orElseGet(JsonObject::new);
    }

    public boolean is(String kind) {
        return kind().equals(kind);
    }

    /** {@code Deployment users-dev/users-api}, or {@code Namespace users-dev} without a namespace. */
    public String id() {
        String ns = namespace();
        return kind() + " " + (ns.isEmpty() ? "" : ns + "/") + (name().isEmpty() ? "(unnamed)" : name());
    }
}
