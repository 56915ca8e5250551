package dev.usersapi.policy;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The objects one kustomization renders to.
 *
 * @param file    the kustomization file, relative to the repository root (what findings name)
 * @param objects the rendered objects, in kustomize's order
 */
public record Render(String file, List<KubeObject> objects) {

    public Stream<KubeObject> ofKind(String kind) {
        return objects.stream().filter(o -> o.is(kind));
    }

    public Optional<KubeObject> find(String kind, String namespace, String name) {
        return objects.stream()
                .filter(o -> o.is(kind)
                        && o.namespace().equals(namespace)
                        && o.name().equals(name))
                .findFirst();
    }
}
