package dev.usersapi.policy;

import com.google.gson.JsonElement;
import java.util.List;
import java.util.Optional;

/**
 * Autoscaled workloads: the HPA owns the replica count (a count in git would be reset on every sync and fight the
 * HPA), minReplicas <= maxReplicas, and a PodDisruptionBudget still lets one pod be evicted at the smallest size,
 * or node drains hang.
 */
public final class AutoscalingCheck implements Check {

    /** Workloads with a replica count; a PDB over Job pods protects nothing the disruption controller can count. */
    private static final java.util.Set<String> SCALABLE =
            java.util.Set.of("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController");

    @Override
    public Rule rule() {
        return Rule.AUTOSCALING;
    }

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        render.ofKind("HorizontalPodAutoscaler").forEach(hpa -> {
            target(render, hpa).ifPresent(workload -> {
                if (Json.at(workload.spec(), "replicas").isPresent()) {
                    findings.add(
                            workload,
                            "spec.replicas",
                            "set while HorizontalPodAutoscaler " + hpa.name()
                                    + " manages the count: leave it out, or every sync resets the autoscaler's choice");
                }
            });
            long min = Json.integer(hpa.spec(), "minReplicas").orElse(1L);
            long max = Json.integer(hpa.spec(), "maxReplicas").orElse(0L);
            if (min > max) {
                findings.add(hpa, "spec.minReplicas", min + " is above maxReplicas " + max);
            }
        });
        List<PodTemplate> pods = PodTemplate.in(render);
        render.ofKind("PodDisruptionBudget")
                .forEach(pdb -> ReferencesCheck.selected(
                                pods,
                                pdb.namespace(),
                                Json.object(pdb.spec(), "selector").orElseGet(com.google.gson.JsonObject::new))
                        .stream()
                        .filter(pod -> SCALABLE.contains(pod.owner().kind()))
                        .forEach(pod -> budget(render, pdb, pod.owner(), findings)));
    }

    private void budget(Render render, KubeObject pdb, KubeObject workload, Findings findings) {
        long replicas = render.ofKind("HorizontalPodAutoscaler")
                .filter(h -> target(render, h).filter(workload::equals).isPresent())
                .map(h -> Json.integer(h.spec(), "minReplicas").orElse(1L))
                .findFirst()
                .orElseGet(() -> Json.integer(workload.spec(), "replicas").orElse(1L));
        Optional<JsonElement> minAvailable = Json.at(pdb.spec(), "minAvailable");
        Optional<JsonElement> maxUnavailable = Json.at(pdb.spec(), "maxUnavailable");
        long allowed;
        String field;
        if (minAvailable.isPresent()) {
            allowed = replicas - scaled(minAvailable.get(), replicas);
            field = "spec.minAvailable";
        } else if (maxUnavailable.isPresent()) {
            allowed = scaled(maxUnavailable.get(), replicas);
            field = "spec.maxUnavailable";
        } else {
            findings.add(pdb, "spec", "set minAvailable or maxUnavailable");
            return;
        }
        if (allowed < 1) {
            findings.add(
                    pdb,
                    field,
                    "allows no eviction of " + workload.id() + " at " + replicas
                            + " replica(s) (its smallest size): node drains would hang");
        }
    }

    /** An int-or-percent of a count, rounded up as the disruption controller does. */
    private static long scaled(JsonElement value, long of) {
        if (Json.isString(value) && value.getAsString().endsWith("%")) {
            try {
                long percent =
                        Long.parseLong(value.getAsString().replace("%", "").strip());
                return (percent * of + 99) / 100;
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return Json.isIntegral(value) ? value.getAsLong() : 0;
    }

    private static Optional<KubeObject> target(Render render, KubeObject hpa) {
        return render.find(
                Json.string(hpa.spec(), "scaleTargetRef", "kind").orElse(""),
                hpa.namespace(),
                Json.string(hpa.spec(), "scaleTargetRef", "name").orElse(""));
    }
}
