package dev.usersapi.policy.schema;

import dev.usersapi.policy.GroupKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The Kubernetes built-in kinds and their client-java models, read from {@code builtin-kinds.txt}. */
public final class BuiltinKinds {

    static final String MODEL_PACKAGE = "io.kubernetes.client.openapi.models";

    /** A built-in kind: the model class that is its schema, and whether its objects live in a namespace. */
    public record Kind(String apiVersion, String kind, Class<?> model, boolean namespaced) {}

    private static final BuiltinKinds INSTANCE = load();

    private final Map<String, Kind> kinds;
    private final Set<String> groups;

    private BuiltinKinds(Map<String, Kind> kinds) {
        this.kinds = Collections.unmodifiableMap(kinds);
        this.groups = kinds.values().stream()
                .map(k -> GroupKind.groupOf(k.apiVersion()))
                .collect(Collectors.toUnmodifiableSet());
    }

    public static BuiltinKinds get() {
        return INSTANCE;
    }

    public Optional<Kind> lookup(String apiVersion, String kind) {
        return Optional.ofNullable(kinds.get(apiVersion + " " + kind));
    }

    /** Whether the group belongs to Kubernetes itself (so an unknown kind in it is an error, not a missing CRD). */
    public boolean isBuiltinGroup(String group) {
        return groups.contains(group) || group.endsWith(".k8s.io");
    }

    /** Whether a built-in kind of this group (in any of its versions) lives in a namespace; empty if none is built in. */
    public Optional<Boolean> namespaced(String group, String kind) {
        return kinds.values().stream()
                .filter(k -> k.kind().equals(kind)
                        && GroupKind.groupOf(k.apiVersion()).equals(group))
                .map(Kind::namespaced)
                .findFirst();
    }

    private static BuiltinKinds load() {
        Map<String, Kind> kinds = new LinkedHashMap<>();
        try {
            for (String line : CustomResourceSchemas.lines("/builtin-kinds.txt")) {
                String[] f = line.split("\\s+", -1); // the line is stripped: no empty last field
                if (f.length != 4 || !Set.of("Namespaced", "Cluster").contains(f[3])) {
                    throw new IllegalStateException("builtin-kinds.txt: bad line '" + line + "'");
                }
                Class<?> model = Class.forName(MODEL_PACKAGE + "." + f[2]);
                kinds.put(f[0] + " " + f[1], new Kind(f[0], f[1], model, f[3].equals("Namespaced")));
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    "builtin-kinds.txt names a model client-java does not have: " + e.getMessage(), e);
        }
        return new BuiltinKinds(kinds);
    }
}
