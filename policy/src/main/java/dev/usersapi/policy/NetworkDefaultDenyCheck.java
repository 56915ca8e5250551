package dev.usersapi.policy;

import com.google.gson.JsonObject;
import dev.usersapi.policy.schema.CustomResourceSchemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rule 4, isolation: every namespace that a render puts objects in has a default-deny NetworkPolicy for both
 * directions ({@code podSelector: {}}, the direction in policyTypes, no rule for it). The policy may come from any
 * kustomization of the repository for that namespace. Objects without a namespace (a base, or a part that a parent
 * kustomization places) are not in a namespace yet: the render that sets their namespace is the one held to this.
 */
public final class NetworkDefaultDenyCheck implements Check {

    @Override
    public Rule rule() {
        return Rule.NETWORK_DEFAULT_DENY;
    }

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        CustomResourceSchemas crds = SchemaCheck.bundledSchemas().with(render.objects());
        Map<String, KubeObject> firstByNamespace = new LinkedHashMap<>();
        for (KubeObject o : render.objects()) {
            // An unknown kind is a schema finding already; counting it as namespaced keeps its namespace checked.
            if (!o.namespace().isEmpty() && GroupKind.of(o).namespaced(crds).orElse(true)) {
                firstByNamespace.putIfAbsent(o.namespace(), o);
            }
        }
        firstByNamespace.forEach((namespace, first) -> {
            for (String direction : List.of("Ingress", "Egress")) {
                boolean denied = all.stream()
                        .flatMap(r -> r.ofKind("NetworkPolicy"))
                        .anyMatch(np -> np.namespace().equals(namespace) && deniesAll(np, direction));
                if (!denied) {
                    findings.add(
                            first,
                            "metadata.namespace",
                            "namespace " + namespace + " has no default-deny NetworkPolicy for " + direction
                                    + " (podSelector: {}, policyTypes: [" + direction + "], no "
                                    + direction.toLowerCase(Locale.ROOT) + " rules)");
                }
            }
        });
    }

    static boolean deniesAll(KubeObject np, String direction) {
        JsonObject spec = np.spec();
        if (!Selectors.isEmpty(Json.object(spec, "podSelector").orElseGet(JsonObject::new))) {
            return false;
        }
        String rulesField = direction.toLowerCase(Locale.ROOT);
        List<String> types = new ArrayList<>(Json.strings(spec, "policyTypes"));
        if (Json.at(spec, "policyTypes").isEmpty()) { // the API server's default
            types.add("Ingress");
            if (!Json.array(spec, "egress").isEmpty()) {
                types.add("Egress");
            }
        }
        return types.contains(direction) && Json.array(spec, rulesField).isEmpty();
    }
}
