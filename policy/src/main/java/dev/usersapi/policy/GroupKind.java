package dev.usersapi.policy;

import com.google.gson.JsonObject;
import dev.usersapi.policy.schema.BuiltinKinds;
import dev.usersapi.policy.schema.CustomResourceSchemas;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kind without its version, as Argo CD's AppProject whitelists name it: {@code apps/Deployment}, or {@code ConfigMap}
 * for the core group.
 */
public record GroupKind(String group, String kind) {

    private static final Pattern TEXT = Pattern.compile("(?:([a-z0-9]([a-z0-9.-]*[a-z0-9])?)/)?([A-Z][A-Za-z0-9]*)");

    public static GroupKind of(KubeObject o) {
        return new GroupKind(o.group(), o.kind());
    }

    /** Parses {@code group/Kind} or {@code Kind}; empty when the text is neither. */
    public static Optional<GroupKind> parse(String text) {
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new GroupKind(m.group(1) == null ? "" : m.group(1), m.group(3)));
    }

    /**
     * Whether objects of this kind live in a namespace: from the built-in kinds, then the given CustomResourceDefinitions
     * (rendered ones), then the CRDs bundled with the policy; empty when none of them knows the kind.
     */
    public Optional<Boolean> namespaced(Collection<KubeObject> renderedCrds) {
        for (BuiltinKinds.Kind k : BuiltinKinds.get().all().values()) {
            if (k.kind().equals(kind) && group(k.apiVersion()).equals(group)) {
                return Optional.of(k.namespaced());
            }
        }
        List<JsonObject> crds = new ArrayList<>();
        renderedCrds.stream().filter(o -> o.is("CustomResourceDefinition")).forEach(o -> crds.add(o.body()));
        crds.addAll(Bundled.CRDS);
        for (JsonObject crd : crds) {
            if (Json.string(crd, "spec", "group").orElse("").equals(group)
                    && Json.string(crd, "spec", "names", "kind").orElse("").equals(kind)) {
                return Optional.of(
                        !"Cluster".equals(Json.string(crd, "spec", "scope").orElse("Namespaced")));
            }
        }
        return Optional.empty();
    }

    /** The policy's bundled CRDs, read once. */
    private static final class Bundled {
        static final List<JsonObject> CRDS =
                List.copyOf(CustomResourceSchemas.bundledDefinitions().values());
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    @Override
    public String toString() {
        return group.isEmpty() ? kind : group + "/" + kind;
    }
}
