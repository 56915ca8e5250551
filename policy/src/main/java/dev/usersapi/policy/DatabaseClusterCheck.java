package dev.usersapi.policy;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The database pods. CloudNativePG creates them from a {@code Cluster}, so the pod rules cannot see them; this rule holds
 * the Cluster to what those rules would ask of its pods, and to what a database needs besides:
 * <ul>
 * <li>the image pinned: {@code imageName} with a version tag (not {@code latest}) or a digest;</li>
 * <li>cpu and memory requests and limits, the memory request equal to the limit (a database pod is never the one the
 * kubelet evicts for memory pressure, and PostgreSQL's memory settings can rely on what it has);</li>
 * <li>the operator's PodDisruptionBudgets on ({@code enablePDB} not false);</li>
 * <li>monitoring on: the default queries not disabled, and the instances annotated for Alloy on the exporter port;</li>
 * <li>Pod Security {@code restricted}: CloudNativePG's default pod and container security contexts already meet it
 * (non-root, no privilege escalation, all capabilities dropped, seccomp RuntimeDefault, read-only root filesystem),
 * so a Cluster may not override them ({@code securityContext}, {@code podSecurityContext}, {@code seccompProfile}) nor
 * run PostgreSQL as root ({@code postgresUID}/{@code postgresGID} 0). Probes are the operator's (startup, liveness,
 * readiness against its instance manager);</li>
 * <li>in a production namespace: at least {@link PolicyConfig#PRODUCTION_DATABASE_INSTANCES} instances, anti-affinity
 * not disabled, synchronous replication to at least one replica with durability required (no acknowledged commit
 * lost in a failover), and backups configured (an object store or a backup plugin).</li>
 * </ul>
 */
public final class DatabaseClusterCheck implements Check {

    @Override
    public Rule rule() {
        return Rule.DATABASE;
    }

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        for (KubeObject cluster : DatabaseClusters.in(render)) {
            JsonObject spec = cluster.spec();
            image(cluster, spec, findings);
            resources(cluster, spec, findings);
            if (Json.bool(spec, "enablePDB").filter(b -> !b).isPresent()) {
                findings.add(
                        cluster,
                        "spec.enablePDB",
                        "must not be false: without the operator's PodDisruptionBudgets a node"
                                + " drain may evict the primary (and every replica) at once");
            }
            monitoring(cluster, spec, findings);
            security(cluster, spec, findings);
            Optional<Long> instances = Json.integer(spec, "instances");
            if (instances.isEmpty() || instances.get() < 1) {
                findings.add(cluster, "spec.instances", "must be at least 1");
            }
            if (PolicyConfig.PRODUCTION_NAMESPACES.contains(cluster.namespace())) {
                production(cluster, spec, instances.orElse(0L), findings);
            }
        }
    }

    private static void image(KubeObject cluster, JsonObject spec, Findings findings) {
        Optional<String> imageName = Json.string(spec, "imageName");
        if (imageName.isEmpty()) {
            findings.add(
                    cluster,
                    "spec.imageName",
                    "required: pin the PostgreSQL image (otherwise an operator upgrade also"
                            + " changes PostgreSQL, and the image is whatever that operator release defaults to)");
            return;
        }
        ImageReference ref = ImageReference.parse(imageName.get());
        if (ref.digest().isPresent() ? !ref.validDigest() : !ref.validTag()) {
            findings.add(
                    cluster,
                    "spec.imageName",
                    "'" + imageName.get() + "' is not pinned by a version tag or a sha256 digest");
        } else if (ref.digest().isEmpty() && ref.tag().filter("latest"::equals).isPresent()) {
            findings.add(cluster, "spec.imageName", "'" + imageName.get() + "': `latest` is not a version");
        }
    }

    private static void resources(KubeObject cluster, JsonObject spec, Findings findings) {
        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                if (Json.at(spec, "resources", kind, resource).isEmpty()) {
                    findings.add(cluster, "spec.resources." + kind + "." + resource, "required");
                }
            }
        }
        Optional<String> request =
                Json.at(spec, "resources", "requests", "memory").map(Object::toString);
        Optional<String> limit = Json.at(spec, "resources", "limits", "memory").map(Object::toString);
        if (request.isPresent() && limit.isPresent() && !request.equals(limit)) {
            findings.add(
                    cluster,
                    "spec.resources.requests.memory",
                    "must equal limits.memory (" + limit.get().replace("\"", "")
                            + "): a database pod must not be evicted or OOM-killed for memory the node promised someone else");
        }
    }

    private static void monitoring(KubeObject cluster, JsonObject spec, Findings findings) {
        if (Json.bool(spec, "monitoring", "disableDefaultQueries").orElse(false)) {
            findings.add(
                    cluster,
                    "spec.monitoring.disableDefaultQueries",
                    "must not be true: the alerts and the dashboard read"
                            + " the default metrics (cnpg_collector_up, cnpg_pg_replication_lag)");
        }
        Map<String, String> annotations = Json.stringMap(spec, "inheritedMetadata", "annotations");
        String field = "spec.inheritedMetadata.annotations";
        if (!"true".equals(annotations.get("prometheus.io/scrape"))) {
            findings.add(
                    cluster,
                    field + "[\"prometheus.io/scrape\"]",
                    "must be \"true\": Alloy scrapes only annotated pods");
        }
        if (!PolicyConfig.DATABASE_METRICS_PORT.equals(annotations.get("prometheus.io/port"))) {
            findings.add(
                    cluster,
                    field + "[\"prometheus.io/port\"]",
                    "must be \"" + PolicyConfig.DATABASE_METRICS_PORT + "\", the instances' exporter port");
        }
    }

    private static void security(KubeObject cluster, JsonObject spec, Findings findings) {
        for (String override : List.of("securityContext", "podSecurityContext", "seccompProfile")) {
            if (spec.has(override)) {
                findings.add(
                        cluster,
                        "spec." + override,
                        "must not be set: CloudNativePG's default meets Pod Security"
                                + " restricted, and the policy cannot see the pods this would change");
            }
        }
        for (String id : List.of("postgresUID", "postgresGID")) {
            if (Json.integer(spec, id).filter(v -> v == 0).isPresent()) {
                findings.add(cluster, "spec." + id, "must not be 0 (root)");
            }
        }
    }

    private static void production(KubeObject cluster, JsonObject spec, long instances, Findings findings) {
        String namespace = cluster.namespace();
        if (instances < PolicyConfig.PRODUCTION_DATABASE_INSTANCES) {
            findings.add(
                    cluster,
                    "spec.instances",
                    instances + " in " + namespace + ": a production database runs at least "
                            + PolicyConfig.PRODUCTION_DATABASE_INSTANCES
                            + " (a primary and two replicas to fail over to)");
        }
        if (Json.bool(spec, "affinity", "enablePodAntiAffinity").filter(b -> !b).isPresent()) {
            findings.add(
                    cluster,
                    "spec.affinity.enablePodAntiAffinity",
                    "must not be false in " + namespace + ": instances on one node fail together");
        }
        Optional<JsonObject> synchronous = Json.object(spec, "postgresql", "synchronous");
        if (synchronous.isEmpty() || Json.integer(synchronous.get(), "number").orElse(0L) < 1) {
            findings.add(
                    cluster,
                    "spec.postgresql.synchronous",
                    "required in " + namespace + " (number at least 1): with"
                            + " asynchronous replication a failover loses the commits the promoted replica had not received");
        } else if (Json.string(synchronous.get(), "dataDurability")
                .filter("preferred"::equals)
                .isPresent()) {
            findings.add(
                    cluster,
                    "spec.postgresql.synchronous.dataDurability",
                    "must not be preferred in " + namespace
                            + ": writes would continue unreplicated whenever the replicas lag or are down");
        }
        boolean objectStore = Json.object(spec, "backup", "barmanObjectStore").isPresent();
        boolean plugin = Json.objects(spec, "plugins").stream()
                .anyMatch(p -> Json.bool(p, "isWALArchiver").orElse(false));
        if (!objectStore && !plugin) {
            findings.add(
                    cluster,
                    "spec.backup",
                    "required in " + namespace + ": base backups and WAL archiving to an object"
                            + " store (backup.barmanObjectStore, or a plugin with isWALArchiver: true)");
        }
    }
}
