package dev.usersapi.policy.schema;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.usersapi.policy.GroupKind;
import dev.usersapi.policy.Json;
import dev.usersapi.policy.KubeObject;
import dev.usersapi.policy.YamlDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schemas of custom resources: the CustomResourceDefinitions bundled with the policy (for CRDs installed from
 * outside the repository, such as Argo CD's) plus any CustomResourceDefinition a render contains.
 */
public final class CustomResourceSchemas {

    /** Bundled CRDs, listed in {@code crds/index.txt}. */
    static final String INDEX = "/crds/index.txt";

    /** One served version of a custom kind. */
    public record Schema(String source, String apiVersion, String kind, boolean namespaced, JsonObject openApiV3) {}

    private final Map<String, Schema> schemas;

    private CustomResourceSchemas(Map<String, Schema> schemas) {
        this.schemas = schemas;
    }

    public static CustomResourceSchemas bundled() {
        Map<String, Schema> schemas = new HashMap<>();
        bundledDefinitions().forEach((name, crd) -> add(schemas, name, crd));
        return new CustomResourceSchemas(schemas);
    }

    /** The bundled CRD documents by resource name, for tests that hold them to the CRD schema themselves. */
    public static Map<String, JsonObject> bundledDefinitions() {
        Map<String, JsonObject> result = new HashMap<>();
        for (String name : lines(INDEX)) {
            for (JsonElement doc : YamlDocuments.parse(read("/crds/" + name))) {
                result.put(name, doc.getAsJsonObject());
            }
        }
        return result;
    }

    /** These schemas plus the CRDs among the objects (a rendered CRD wins over a bundled one of the same kind). */
    public CustomResourceSchemas with(Collection<KubeObject> objects) {
        Map<String, Schema> more = new HashMap<>(schemas);
        objects.stream()
                .filter(o -> o.is("CustomResourceDefinition"))
                .forEach(o -> add(more, "the rendered CustomResourceDefinition " + o.name(), o.body()));
        return new CustomResourceSchemas(more);
    }

    public Optional<Schema> lookup(String apiVersion, String kind) {
        return Optional.ofNullable(schemas.get(apiVersion + " " + kind));
    }

    /** Whether the custom kind of this group lives in a namespace; empty if no CRD defines it. */
    public Optional<Boolean> namespaced(String group, String kind) {
        return schemas.values().stream()
                .filter(s -> s.kind().equals(kind)
                        && GroupKind.groupOf(s.apiVersion()).equals(group))
                .map(Schema::namespaced)
                .findFirst();
    }

    private static void add(Map<String, Schema> schemas, String source, JsonObject crd) {
        String group = Json.string(crd, "spec", "group").orElse("");
        String kind = Json.string(crd, "spec", "names", "kind").orElse("");
        boolean namespaced = !"Cluster".equals(Json.string(crd, "spec", "scope").orElse("Namespaced"));
        for (JsonObject version : Json.objects(crd, "spec", "versions")) {
            String apiVersion = group + "/" + Json.string(version, "name").orElse("");
            Json.object(version, "schema", "openAPIV3Schema")
                    .ifPresent(schema -> schemas.put(
                            apiVersion + " " + kind, new Schema(source, apiVersion, kind, namespaced, schema)));
        }
    }

    /** The lines of a resource of the policy that are neither blank nor {@code #} comments, stripped. */
    static List<String> lines(String resource) {
        return read(resource)
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    private static String read(String resource) {
        try (InputStream in = CustomResourceSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the policy's classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
