package dev.usersapi.policy;

import dev.usersapi.policy.schema.BuiltinKinds;
import dev.usersapi.policy.schema.CustomResourceSchemas;
import java.util.Collection;
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

    /** The group of an apiVersion: empty for the core group ({@code v1}). */
    public static String groupOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /**
     * Whether objects of this kind live in a namespace: from the built-in kinds, then the CustomResourceDefinitions
     * (bundled, and those among {@code objects}); empty when none of them knows the kind.
     */
    public Optional<Boolean> namespaced(Collection<KubeObject> objects) {
        return namespaced(SchemaCheck.bundledSchemas().with(objects));
    }

    /** Like {@link #namespaced(Collection)} with the custom kinds' schemas at hand. */
    public Optional<Boolean> namespaced(CustomResourceSchemas crds) {
        return BuiltinKinds.get().namespaced(group, kind).or(() -> crds.namespaced(group, kind));
    }

    @Override
    public String toString() {
        return group.isEmpty() ? kind : group + "/" + kind;
    }
}
