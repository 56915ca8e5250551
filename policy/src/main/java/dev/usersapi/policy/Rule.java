package dev.usersapi.policy;

/** The rules every rendered manifest is held to; the id appears in brackets at the end of each finding. */
public enum Rule {
    RENDER("render", "every kustomization renders with `kubectl kustomize`"),
    SCHEMA("schema", "every object is valid for its kind: no unknown field, no wrong type, required fields present"),
    POD_SECURITY("pod-security", "every pod template meets the Pod Security Standard `restricted`"),
    CONTAINER_HARDENING("container-hardening",
            "every container: read-only root filesystem, cpu and memory requests and limits, liveness and readiness probes"),
    IMAGE_PINNING("image-pinning", "every image is pinned by tag or digest, never `latest`; by digest in production namespaces"),
    REFERENCES("references",
            "selectors, ports, ConfigMaps, Secrets, ServiceAccounts and HPA/PDB/Ingress targets resolve in the render"),
    NETWORK_DEFAULT_DENY("network-default-deny", "every namespace has a default-deny NetworkPolicy for ingress and egress"),
    NAMESPACE_POD_SECURITY("namespace-pod-security",
            "every Namespace enforces, audits and warns Pod Security `restricted` unless a written exception says why"),
    GRACEFUL_SHUTDOWN("graceful-shutdown",
            "the service's pods stop gracefully: preStop sleep + drain period + margin fit in terminationGracePeriodSeconds"),
    INGRESS_PUBLIC_ONLY("ingress-public-only", "an Ingress or HTTPRoute routes only to public container ports (http, https)"),
    AUTOSCALING("autoscaling", "an autoscaled workload leaves replicas to its HPA, and its PDB lets at least one pod be evicted"),
    DATABASE("database", "every CloudNativePG Cluster: pinned image, resources set (memory request = limit), a PDB, monitoring"
            + " on, CloudNativePG's restricted security context untouched; in production at least 3 instances, synchronous"
            + " replication and backups"),
    PLAINTEXT_SECRET("plaintext-secret", "no Secret with data in git (SealedSecret or cluster-provided instead), except marked fixtures"),
    GITOPS("gitops", "every Application of this repository has a path that renders, and its AppProject allows exactly the kinds"
            + " and namespaces that path renders");

    private final String id;
    private final String description;

    Rule(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }
}
