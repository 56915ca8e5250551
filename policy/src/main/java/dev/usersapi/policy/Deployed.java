package dev.usersapi.policy;

/**
 * One object that an Argo CD Application would deploy from its path.
 *
 * @param kind       its group and kind
 * @param name       its name; empty for a kind that is only known to be in an upstream manifest
 * @param namespace  its namespace; empty when the render leaves it to the Application's destination, or cluster-scoped
 * @param namespaced whether the kind lives in a namespace
 */
public record Deployed(GroupKind kind, String name, String namespace, boolean namespaced) {

    /** The namespace the object ends up in when an Application with this destination namespace deploys it. */
    public String namespaceUnder(String destinationNamespace) {
        return !namespaced ? "" : namespace.isEmpty() ? destinationNamespace : namespace;
    }

    @Override
    public String toString() {
        return kind + (name.isEmpty() ? "" : " " + (namespace.isEmpty() ? "" : namespace + "/") + name);
    }
}
