package dev.usersapi.policy;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** How an Ingress and Gateway API objects name what they route to or use, as the rules that follow them read it. */
final class Routes {

    private Routes() {}

    /** A Service backend of an Ingress ({@code {name, port}}) and the field that holds it. */
    record ServiceBackend(String field, JsonObject service) {}

    /** The default backend and every path's backend that is a Service. */
    static List<ServiceBackend> serviceBackends(KubeObject ingress) {
        List<ServiceBackend> backends = new ArrayList<>();
        Json.object(ingress.spec(), "defaultBackend", "service")
                .ifPresent(s -> backends.add(new ServiceBackend("spec.defaultBackend.service", s)));
        List<JsonObject> rules = Json.objects(ingress.spec(), "rules");
        for (int r = 0; r < rules.size(); r++) {
            List<JsonObject> paths = Json.objects(rules.get(r), "http", "paths");
            for (int p = 0; p < paths.size(); p++) {
                String field = "spec.rules[" + r + "].http.paths[" + p + "].backend.service";
                Json.object(paths.get(p), "backend", "service")
                        .ifPresent(s -> backends.add(new ServiceBackend(field, s)));
            }
        }
        return backends;
    }

    /**
     * Whether a Gateway API object reference names a {@code kind} of the core group in {@code namespace}, the
     * referring object's own (one in another namespace needs a ReferenceGrant there, which these rules do not follow).
     */
    static boolean isLocalCore(JsonObject ref, String kind, String namespace) {
        return Json.string(ref, "group").orElse("").isEmpty()
                && Json.string(ref, "kind").orElse(kind).equals(kind)
                && Json.string(ref, "namespace").orElse(namespace).equals(namespace);
    }
}
