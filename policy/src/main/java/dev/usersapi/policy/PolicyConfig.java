package dev.usersapi.policy;

import java.util.Set;

/** The project-specific facts the rules rely on, in one place. */
public final class PolicyConfig {

    private PolicyConfig() {}

    /** Prefix of every annotation the policy reads. */
    public static final String ANNOTATION_PREFIX = "policy.usersapi.dev/";

    /**
     * Comma-separated names of Secrets that the object references but that are created in the cluster, not kept in
     * git (tokens sealed later, TLS certificates issued there). Put it on the pod template for a workload's Secrets,
     * on the object itself otherwise (an Ingress's TLS Secret). Only the listed names are exempt, and each listed
     * name must be referenced.
     */
    public static final String CLUSTER_PROVIDED_SECRETS = ANNOTATION_PREFIX + "cluster-provided-secrets";

    /** On a Namespace: the written reason why it cannot enforce Pod Security `restricted`. */
    public static final String POD_SECURITY_EXCEPTION = ANNOTATION_PREFIX + "pod-security-exception";

    /**
     * On a NetworkPolicy: whose pods its podSelector selects when those pods are not templates of any render (an
     * upstream manifest's workloads, pods a controller creates at run time such as Envoy Gateway's proxies). The
     * value names them; without it a selector that matches nothing here is a finding.
     */
    public static final String SELECTS_PODS_OF = ANNOTATION_PREFIX + "selects-pods-of";

    /** On a Secret under the policy's test fixtures: it holds fake data on purpose. */
    public static final String PLAINTEXT_FIXTURE = ANNOTATION_PREFIX + "plaintext-fixture";

    /** Where Secrets marked {@link #PLAINTEXT_FIXTURE} may live. */
    public static final String FIXTURE_FOLDER = "policy/src/test/resources/fixtures/";

    /** Namespaces whose images must be pinned by digest: production runs exactly what CI built, signed and scanned. */
    public static final Set<String> DIGEST_ONLY_NAMESPACES = Set.of("users-prod");

    /**
     * The service's pods: those labelled {@code app.kubernetes.io/name} = {@value #SERVICE_NAME} (the workload name of
     * docs/architecture.md, section Kubernetes), whatever their image is called (a fork renames the image, not the service). Their containers must
     * declare the drain period the grace period is sized from.
     */
    public static final String SERVICE_NAME = "users-api";

    /** The service's drain setting: after SIGTERM readiness is DOWN and requests are still served this long. */
    public static final String DRAIN_ENV = "USERS_API_DRAIN_SECONDS";

    /** Seconds the grace period must leave after preStop and drain: the server's shutdown grace (5 s) and JVM exit. */
    public static final int SHUTDOWN_MARGIN_SECONDS = 10;

    /** Kubernetes' default when a pod sets no terminationGracePeriodSeconds. */
    public static final int DEFAULT_GRACE_SECONDS = 30;

    /** Container port names an Ingress may route to. */
    public static final Set<String> PUBLIC_PORT_NAMES = Set.of("http", "https");

    /** Namespaces whose database must survive the loss of a node and of the cluster: replicas and backups. */
    public static final Set<String> PRODUCTION_NAMESPACES = Set.of("users-prod");

    /** The fewest PostgreSQL instances a production database runs: a primary and two replicas to fail over to. */
    public static final int PRODUCTION_DATABASE_INSTANCES = 3;

    /** CloudNativePG's metrics exporter port on every instance (named `metrics`), which Alloy must be told to scrape. */
    public static final String DATABASE_METRICS_PORT = "9187";
}
