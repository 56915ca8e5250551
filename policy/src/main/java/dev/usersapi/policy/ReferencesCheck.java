package dev.usersapi.policy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rule 4, wiring: Service selectors and target ports, probe ports, workload selectors, topology spread selectors,
 * HPA and PDB targets, Ingress backends and NetworkPolicy pod selectors all resolve within the render.
 * (ConfigMaps, Secrets and ServiceAccounts: {@link ConfigReferencesCheck}.)
 */
public final class ReferencesCheck implements Check {

    private static final Set<String> SELECTING_WORKLOADS =
            Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet");

    @Override
    public Rule rule() {
        return Rule.REFERENCES;
    }

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        List<PodTemplate> pods = PodTemplate.in(render);
        services(render, pods, findings);
        for (PodTemplate pod : pods) {
            probes(pod, findings);
            ownSelector(pod, findings);
            topologySpread(pod, findings);
        }
        autoscalers(render, findings);
        disruptionBudgets(render, pods, findings);
        ingresses(render, findings);
        networkPolicies(render, pods, findings);
    }

    /** The pod templates of a namespace that a Service-style selector picks. */
    static List<PodTemplate> selected(List<PodTemplate> pods, String namespace, Map<String, String> selector) {
        return pods.stream()
                .filter(p -> p.namespace().equals(namespace) && Selectors.matches(selector, p.labels()))
                .toList();
    }

    static List<PodTemplate> selected(List<PodTemplate> pods, String namespace, JsonObject selector) {
        return pods.stream()
                .filter(p -> p.namespace().equals(namespace) && Selectors.matches(selector, p.labels()))
                .toList();
    }

    private void services(Render render, List<PodTemplate> pods, Findings findings) {
        render.ofKind("Service").forEach(svc -> {
            if (Json.string(svc.spec(), "type").filter("ExternalName"::equals).isPresent()) {
                return;
            }
            Map<String, String> selector = Json.stringMap(svc.spec(), "selector");
            if (selector.isEmpty()) {
                findings.add(svc, "spec.selector", "required: the Service must select the pods it routes to");
                return;
            }
            List<PodTemplate> matched = selected(pods, svc.namespace(), selector);
            if (matched.isEmpty()) {
                findings.add(svc, "spec.selector", "selects no pod template in this render (" + selector + ")");
                return;
            }
            for (JsonObject port : Json.objects(svc.spec(), "ports")) {
                JsonElement target = Json.at(port, "targetPort")
                        .or(() -> Json.at(port, "port"))
                        .orElse(new JsonPrimitive(0));
                if (Ports.in(matched, target).isEmpty()) {
                    findings.add(
                            svc,
                            "spec.ports["
                                    + Json.string(port, "name")
                                            .orElse(Json.at(port, "port")
                                                    .map(JsonElement::toString)
                                                    .orElse("?"))
                                    + "].targetPort",
                            "no container port " + Ports.describe(target) + " in the selected pods");
                }
            }
        });
    }

    private void probes(PodTemplate pod, Findings findings) {
        for (PodTemplate.Container c : pod.containersAndInit()) {
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                for (String handler : List.of("httpGet", "tcpSocket", "grpc")) {
                    Json.at(c.body(), probe, handler, "port").ifPresent(port -> {
                        if (Ports.in(c, port).isEmpty()) {
                            findings.add(
                                    pod.owner(),
                                    c.field(probe + "." + handler + ".port"),
                                    "container " + c.name() + " declares no port " + Ports.describe(port));
                        }
                    });
                }
            }
        }
    }

    /** The API server rejects a workload whose selector does not match its own template. */
    private void ownSelector(PodTemplate pod, Findings findings) {
        KubeObject o = pod.owner();
        if (!SELECTING_WORKLOADS.contains(o.kind())) {
            return;
        }
        Optional<JsonObject> selector = Json.object(o.spec(), "selector");
        if (selector.isPresent()
                && (Selectors.isEmpty(selector.get()) || !Selectors.matches(selector.get(), pod.labels()))) {
            findings.add(o, "spec.selector", "does not select the workload's own pod template labels " + pod.labels());
        }
    }

    /** A spread constraint whose selector misses the pod's own labels counts other pods, so it spreads nothing. */
    private void topologySpread(PodTemplate pod, Findings findings) {
        List<JsonObject> constraints = Json.objects(pod.spec(), "topologySpreadConstraints");
        for (int i = 0; i < constraints.size(); i++) {
            Optional<JsonObject> selector = Json.object(constraints.get(i), "labelSelector");
            if (selector.isEmpty()
                    || Selectors.isEmpty(selector.get())
                    || !Selectors.matches(selector.get(), pod.labels())) {
                findings.add(
                        pod.owner(),
                        pod.field("topologySpreadConstraints[" + i + "].labelSelector"),
                        "must select this pod template's own labels " + pod.labels());
            }
        }
    }

    private void autoscalers(Render render, Findings findings) {
        render.ofKind("HorizontalPodAutoscaler").forEach(hpa -> {
            String kind = Json.string(hpa.spec(), "scaleTargetRef", "kind").orElse("");
            String name = Json.string(hpa.spec(), "scaleTargetRef", "name").orElse("");
            if (render.find(kind, hpa.namespace(), name).isEmpty()) {
                findings.add(hpa, "spec.scaleTargetRef", "no " + kind + " " + name + " in this render");
            }
        });
    }

    private void disruptionBudgets(Render render, List<PodTemplate> pods, Findings findings) {
        render.ofKind("PodDisruptionBudget").forEach(pdb -> {
            JsonObject selector = Json.object(pdb.spec(), "selector").orElseGet(JsonObject::new);
            if (Selectors.isEmpty(selector)) {
                findings.add(
                        pdb, "spec.selector", "required: select the pods of one workload, not the whole namespace");
            } else if (selected(pods, pdb.namespace(), selector).isEmpty()) {
                findings.add(pdb, "spec.selector", "selects no pod template in this render");
            }
        });
    }

    private void ingresses(Render render, Findings findings) {
        render.ofKind("Ingress")
                .forEach(ing -> Routes.serviceBackends(ing)
                        .forEach(b -> backend(render, ing, b.service(), b.field(), findings)));
    }

    private void backend(Render render, KubeObject ing, JsonObject backend, String field, Findings findings) {
        String name = Json.string(backend, "name").orElse("");
        Optional<KubeObject> svc = render.find("Service", ing.namespace(), name);
        if (svc.isEmpty()) {
            findings.add(ing, field + ".name", "no Service " + name + " in this render");
            return;
        }
        if (servicePort(svc.get(), backend).isEmpty()) {
            findings.add(
                    ing,
                    field + ".port",
                    "Service " + name + " has no such port "
                            + Json.at(backend, "port").orElse(null));
        }
    }

    /** The Service port an Ingress backend names (by name or number). */
    static Optional<JsonObject> servicePort(KubeObject svc, JsonObject backend) {
        Optional<String> byName = Json.string(backend, "port", "name");
        Optional<Long> byNumber = Json.integer(backend, "port", "number");
        return Json.objects(svc.spec(), "ports").stream()
                .filter(p ->
                        byName.map(n -> Json.string(p, "name").filter(n::equals).isPresent())
                                        .orElse(false)
                                || byNumber.map(n -> Json.integer(p, "port")
                                                .filter(n::equals)
                                                .isPresent())
                                        .orElse(false))
                .findFirst();
    }

    private void networkPolicies(Render render, List<PodTemplate> pods, Findings findings) {
        render.ofKind("NetworkPolicy").forEach(np -> {
            JsonObject selector = Json.object(np.spec(), "podSelector").orElseGet(JsonObject::new);
            // The pods of a CloudNativePG Cluster are the operator's, not templates of the render: their labels are
            // known.
            boolean declaredElsewhere = !Json.string(np.metadata(), "annotations", PolicyConfig.SELECTS_PODS_OF)
                    .orElse("")
                    .isBlank();
            if (!Selectors.isEmpty(selector)
                    && !declaredElsewhere
                    && selected(pods, np.namespace(), selector).isEmpty()
                    && !DatabaseClusters.selectsInstances(render, np.namespace(), selector)) {
                findings.add(
                        np, "spec.podSelector", "selects no pod template (nor database Cluster's pods) in this render");
            }
        });
    }
}
