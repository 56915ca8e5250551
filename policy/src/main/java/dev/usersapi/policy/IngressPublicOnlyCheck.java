package dev.usersapi.policy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * An Ingress or a Gateway API HTTPRoute reaches only public container ports ({@link PolicyConfig#PUBLIC_PORT_NAMES}):
 * health details and metrics on the admin port must never be routed from outside the cluster. An HTTPRoute's
 * backendRefs name a Service port by number; a backendRef of another kind than Service is out of this rule's sight.
 */
public final class IngressPublicOnlyCheck implements Check {

    @Override
    public Rule rule() {
        return Rule.INGRESS_PUBLIC_ONLY;
    }

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        List<PodTemplate> pods = PodTemplate.in(render);
        render.ofKind("Ingress")
                .forEach(ing -> Routes.serviceBackends(ing)
                        .forEach(b -> backend(render, pods, ing, b.service(), b.field() + ".port", findings)));
        render.ofKind("HTTPRoute").forEach(route -> {
            List<JsonObject> rules = Json.objects(route.spec(), "rules");
            for (int r = 0; r < rules.size(); r++) {
                List<JsonObject> refs = Json.objects(rules.get(r), "backendRefs");
                for (int b = 0; b < refs.size(); b++) {
                    JsonObject ref = refs.get(b);
                    if (Routes.isLocalCore(ref, "Service", route.namespace())) {
                        JsonObject asServiceBackend = new JsonObject();
                        asServiceBackend.addProperty(
                                "name", Json.string(ref, "name").orElse(""));
                        JsonObject port = new JsonObject();
                        Json.at(ref, "port").ifPresent(p -> port.add("number", p));
                        asServiceBackend.add("port", port);
                        backend(
                                render,
                                pods,
                                route,
                                asServiceBackend,
                                "spec.rules[" + r + "].backendRefs[" + b + "].port",
                                findings);
                    }
                }
            }
        });
    }

    private void backend(
            Render render,
            List<PodTemplate> pods,
            KubeObject ing,
            JsonObject backend,
            String field,
            Findings findings) {
        Optional<KubeObject> svc = render.find(
                "Service", ing.namespace(), Json.string(backend, "name").orElse(""));
        Optional<JsonObject> port = svc.flatMap(s -> ReferencesCheck.servicePort(s, backend));
        if (port.isEmpty()) {
            return; // the references rule reports a dangling backend
        }
        JsonElement target = Json.at(port.get(), "targetPort")
                .or(() -> Json.at(port.get(), "port"))
                .orElseThrow();
        List<PodTemplate> selected = ReferencesCheck.selected(
                pods, ing.namespace(), Json.stringMap(svc.get().spec(), "selector"));
        Optional<JsonObject> containerPort = Ports.in(selected, target);
        String name = Json.isString(target)
                ? target.getAsString()
                : containerPort.flatMap(p -> Json.string(p, "name")).orElse("");
        if (containerPort.isPresent() && !PolicyConfig.PUBLIC_PORT_NAMES.contains(name)) {
            findings.add(
                    ing,
                    field,
                    "routes to container port " + (name.isEmpty() ? target.toString() + " (unnamed)" : name)
                            + " of Service " + svc.get().name() + "; only " + PolicyConfig.PUBLIC_PORT_NAMES
                            + " may be public");
        }
    }
}
