package dev.usersapi.policy;

import com.google.gson.JsonObject;
import dev.usersapi.policy.schema.BuiltinKinds;
import dev.usersapi.policy.schema.CustomResourceSchemas;
import dev.usersapi.policy.schema.ModelValidator;
import dev.usersapi.policy.schema.StructuralValidator;
import dev.usersapi.policy.schema.Violation;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rule 2: every object is valid for its kind. Built-in kinds are checked against the client-java models, custom
 * kinds against their CustomResourceDefinition (bundled, or rendered alongside); a kind with no schema fails.
 */
public final class SchemaCheck implements Check {

    private static final CustomResourceSchemas BUNDLED = CustomResourceSchemas.bundled();
    private final ModelValidator models = new ModelValidator();
    private final StructuralValidator structural = new StructuralValidator();

    @Override
    public Rule rule() {
        return Rule.SCHEMA;
    }

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        CustomResourceSchemas crds = BUNDLED.with(render.objects());
        for (KubeObject o : render.objects()) {
            for (Violation v : violations(o, crds)) {
                findings.add(o, v.path(), v.message());
            }
        }
    }

    /** The violations of one object; public for tests that mutate objects in memory. */
    public List<Violation> violations(KubeObject o, CustomResourceSchemas crds) {
        List<Violation> out = new ArrayList<>();
        if (o.apiVersion().isEmpty() || o.kind().isEmpty()) {
            out.add(new Violation(o.apiVersion().isEmpty() ? "apiVersion" : "kind", "required field missing"));
            return out;
        }
        if (o.name().isEmpty()) {
            out.add(new Violation("metadata.name", "required field missing"));
        }
        Optional<BuiltinKinds.Kind> builtin = BuiltinKinds.get().lookup(o.apiVersion(), o.kind());
        if (builtin.isPresent()) {
            Class<?> model = builtin.get().model();
            List<Violation> found = models.validate(model, o.body(), "");
            out.addAll(found);
            if (found.isEmpty()) {
                models.libraryCheck(model, o.body()).ifPresent(m -> out.add(new Violation("(object)", m)));
            }
            return out;
        }
        Optional<CustomResourceSchemas.Schema> custom = crds.lookup(o.apiVersion(), o.kind());
        if (custom.isPresent()) {
            // The API server validates metadata of every kind itself, whatever the CRD says about it.
            Json.at(o.body(), "metadata")
                    .ifPresent(m -> out.addAll(models.validate(V1ObjectMeta.class, m, "metadata")));
            JsonObject rest = o.body().deepCopy();
            if (rest.has("metadata")) {
                rest.add("metadata", new JsonObject()); // checked above
            }
            out.addAll(structural.validate(custom.get().openApiV3(), rest, ""));
            return out;
        }
        if (BuiltinKinds.get().isBuiltinGroup(o.group())) {
            out.add(new Violation(
                    "apiVersion",
                    o.apiVersion() + " " + o.kind()
                            + " is not a stable kind of the Kubernetes API (wrong group or version, or removed)"));
        } else {
            out.add(
                    new Violation(
                            "apiVersion",
                            "no schema for " + o.apiVersion() + " " + o.kind()
                                    + ": render its CustomResourceDefinition with the kustomization, or add it to policy/src/main/resources/crds/"));
        }
        return out;
    }

    public static CustomResourceSchemas bundledSchemas() {
        return BUNDLED;
    }
}
