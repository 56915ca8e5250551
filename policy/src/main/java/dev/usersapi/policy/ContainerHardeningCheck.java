package dev.usersapi.policy;

import com.google.gson.JsonElement;
import io.kubernetes.client.custom.Quantity;
import java.util.List;
import java.util.Optional;

/**
 * Rule 3, the project's stricter part: a read-only root filesystem (writable paths are emptyDirs), requests and
 * limits for cpu and memory with limit >= request, and liveness and readiness probes for long-running pods.
 */
public final class ContainerHardeningCheck implements Check {

    @Override
    public Rule rule() {
        return Rule.CONTAINER_HARDENING;
    }

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        for (PodTemplate pod : PodTemplate.in(render)) {
            KubeObject o = pod.owner();
            for (PodTemplate.Container c : pod.allContainers()) {
                if (!Json.bool(c.body(), "securityContext", "readOnlyRootFilesystem")
                        .orElse(false)) {
                    findings.add(
                            o,
                            c.field("securityContext.readOnlyRootFilesystem"),
                            "must be true (mount an emptyDir where the container must write)");
                }
            }
            for (PodTemplate.Container c : pod.containersAndInit()) {
                resources(o, c, findings);
            }
            if (pod.longRunning()) {
                for (PodTemplate.Container c : pod.containers()) {
                    for (String probe : List.of("livenessProbe", "readinessProbe")) {
                        if (Json.object(c.body(), probe).isEmpty()) {
                            findings.add(
                                    o,
                                    c.field(probe),
                                    "required: every long-running container has liveness and readiness probes");
                        }
                    }
                }
            }
        }
    }

    private void resources(KubeObject o, PodTemplate.Container c, Findings findings) {
        for (String resource : List.of("cpu", "memory")) {
            Optional<Quantity> request = quantity(c, "requests", resource);
            Optional<Quantity> limit = quantity(c, "limits", resource);
            if (request.isEmpty()) {
                findings.add(o, c.field("resources.requests." + resource), "required");
            }
            if (limit.isEmpty()) {
                findings.add(o, c.field("resources.limits." + resource), "required");
            }
            if (request.isPresent()
                    && limit.isPresent()
                    && limit.get().getNumber().compareTo(request.get().getNumber()) < 0) {
                findings.add(
                        o,
                        c.field("resources.limits." + resource),
                        "limit " + limit.get().toSuffixedString() + " is below the request "
                                + request.get().toSuffixedString());
            }
        }
    }

    private static Optional<Quantity> quantity(PodTemplate.Container c, String kind, String resource) {
        Optional<JsonElement> value = Json.at(c.body(), "resources", kind, resource);
        try {
            return value.map(v -> Quantity.fromString(v.getAsString()));
        } catch (RuntimeException notAQuantity) {
            return Optional.empty(); // the schema rule names the bad value
        }
    }
}
