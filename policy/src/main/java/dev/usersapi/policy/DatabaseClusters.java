package dev.usersapi.policy;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CloudNativePG {@code Cluster} objects of a render and the pods the operator creates for them. Those pods are not
 * in the render (no pod template), so rules that resolve selectors need their labels from here: the labels every pod
 * of a Cluster carries in CloudNativePG v1.30 (pkg/specs/pods.go and jobs.go: {@code cnpg.io/cluster}) plus, on the
 * instances, the role and the recommended labels, and whatever {@code spec.inheritedMetadata.labels} adds.
 */
public final class DatabaseClusters {

    public static final String GROUP = "postgresql.cnpg.io";

    private DatabaseClusters() {}

    public static List<KubeObject> in(Render render) {
        return render.objects().stream().filter(DatabaseClusters::isCluster).toList();
    }

    static boolean isCluster(KubeObject o) {
        return o.is("Cluster") && GROUP.equals(o.group());
    }

    /** The labels of an instance pod of this Cluster. */
    public static Map<String, String> instanceLabels(KubeObject cluster) {
        Map<String, String> labels = new LinkedHashMap<>(Json.stringMap(cluster.spec(), "inheritedMetadata", "labels"));
        labels.put("cnpg.io/cluster", cluster.name());
        labels.put("cnpg.io/instanceName", cluster.name() + "-1");
        labels.put("cnpg.io/podRole", "instance");
        labels.put("app.kubernetes.io/name", "postgresql");
        labels.put("app.kubernetes.io/instance", cluster.name());
        labels.put("app.kubernetes.io/component", "database");
        labels.put("app.kubernetes.io/managed-by", "cloudnative-pg");
        return labels;
    }

    /** Whether a NetworkPolicy-style label selector picks the instances of a Cluster of this render in the namespace. */
    public static boolean selectsInstances(Render render, String namespace, JsonObject selector) {
        return in(render).stream()
                .anyMatch(c -> c.namespace().equals(namespace) && Selectors.matches(selector, instanceLabels(c)));
    }

    /**
     * The Secrets the operator creates for a Cluster (CloudNativePG v1.30 api/v1/cluster_funcs.go): the server and client
     * CAs, the server certificate, the replication user's certificate, the application user's credentials unless the
     * bootstrap names its own Secret, and the superuser's when superuser access is enabled.
     */
    public static List<String> generatedSecrets(KubeObject cluster) {
        List<String> names = new ArrayList<>(
                List.of(cluster.name() + "-ca", cluster.name() + "-server", cluster.name() + "-replication"));
        boolean ownAppSecret = Stream.of("initdb", "recovery", "pg_basebackup")
                .anyMatch(method -> Json.string(cluster.spec(), "bootstrap", method, "secret", "name")
                        .isPresent());
        if (!ownAppSecret) {
            names.add(cluster.name() + "-app");
        }
        if (Json.bool(cluster.spec(), "enableSuperuserAccess").orElse(false)) {
            names.add(cluster.name() + "-superuser");
        }
        return List.copyOf(names);
    }
}
