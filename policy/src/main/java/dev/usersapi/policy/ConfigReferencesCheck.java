package dev.usersapi.policy;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rule 4, configuration: every ConfigMap, Secret and ServiceAccount a pod, Ingress or Gateway refers to is in the render
 * (ConfigMap keys included), unless the reference is {@code optional}. A Secret may instead come from a SealedSecret
 * of the same name, or be declared by the referring object as provided by the cluster
 * ({@link PolicyConfig#CLUSTER_PROVIDED_SECRETS}); a declaration must name only Secrets the object really uses.
 */
public final class ConfigReferencesCheck implements Check {

    /** A reference to a ConfigMap or Secret (with the keys it needs) from the field that makes it. */
    record Ref(String kind, String name, List<String> keys, String field) {}

    @Override
    public Rule rule() {
        return Rule.REFERENCES;
    }

    /** Where an object declares the Secrets the cluster provides (not in git): an annotation on its own metadata. */
    private static final String DECLARED_FIELD =
            "metadata.annotations[\"" + PolicyConfig.CLUSTER_PROVIDED_SECRETS + "\"]";

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        for (PodTemplate pod : PodTemplate.in(render)) {
            String declaredField = pod.path() + (pod.path().isEmpty() ? "" : ".") + DECLARED_FIELD;
            resolve(
                    render,
                    pod.owner(),
                    pod.namespace(),
                    references(pod),
                    declared(pod.annotations()),
                    declaredField,
                    findings);
            serviceAccount(render, pod, findings);
        }
        // Objects that name Secrets themselves: a CloudNativePG Cluster (the object store's credentials of its
        // backups and of the clusters it recovers from, the initdb owner's and the superuser's), an Ingress (TLS) and
        // a Gateway (its listeners' certificates).
        DatabaseClusters.in(render).forEach(c -> resolve(render, c, databaseSecrets(c), findings));
        render.ofKind("Ingress").forEach(ing -> resolve(render, ing, ingressSecrets(ing), findings));
        render.ofKind("Gateway").forEach(gw -> resolve(render, gw, gatewaySecrets(gw), findings));
    }

    private static List<Ref> ingressSecrets(KubeObject ing) {
        List<Ref> refs = new ArrayList<>();
        List<JsonObject> tls = Json.objects(ing.spec(), "tls");
        for (int i = 0; i < tls.size(); i++) {
            int index = i;
            Json.string(tls.get(i), "secretName")
                    .ifPresent(n -> refs.add(new Ref("Secret", n, List.of(), "spec.tls[" + index + "].secretName")));
        }
        return refs;
    }

    /** TLS certificates: Secrets of the Gateway's own namespace (another namespace's needs a ReferenceGrant there). */
    private static List<Ref> gatewaySecrets(KubeObject gw) {
        List<Ref> refs = new ArrayList<>();
        List<JsonObject> listeners = Json.objects(gw.spec(), "listeners");
        for (int l = 0; l < listeners.size(); l++) {
            List<JsonObject> certs = Json.objects(listeners.get(l), "tls", "certificateRefs");
            for (int c = 0; c < certs.size(); c++) {
                JsonObject cert = certs.get(c);
                if (Routes.isLocalCore(cert, "Secret", gw.namespace())) {
                    refs.add(new Ref(
                            "Secret",
                            Json.string(cert, "name").orElse(""),
                            List.of(),
                            "spec.listeners[" + l + "].tls.certificateRefs[" + c + "]"));
                }
            }
        }
        return refs;
    }

    /** References of an object that declares its cluster-provided Secrets on its own metadata. */
    private void resolve(Render render, KubeObject o, List<Ref> refs, Findings findings) {
        resolve(
                render,
                o,
                o.namespace(),
                refs,
                declared(Json.stringMap(o.metadata(), "annotations")),
                DECLARED_FIELD,
                findings);
    }

    private void resolve(
            Render render,
            KubeObject o,
            String ns,
            List<Ref> refs,
            Set<String> declared,
            String declaredField,
            Findings findings) {
        Set<String> usedDeclarations = new LinkedHashSet<>();
        for (Ref ref : refs) {
            if (ref.kind().equals("Secret") && declared.contains(ref.name())) {
                usedDeclarations.add(ref.name());
                if (render.find("Secret", ns, ref.name()).isPresent()) {
                    findings.add(
                            o,
                            declaredField,
                            "declares Secret " + ref.name() + " as cluster-provided, but the render has it");
                }
                continue;
            }
            Optional<KubeObject> target = render.find(ref.kind(), ns, ref.name());
            if (target.isEmpty() && ref.kind().equals("Secret")) {
                target = render.ofKind("SealedSecret")
                        .filter(s -> s.namespace().equals(ns) && s.name().equals(ref.name()))
                        .findFirst();
                if (target.isPresent()) {
                    continue; // the controller creates the Secret; its keys are sealed, so they cannot be checked here
                }
            }
            if (target.isEmpty()) {
                findings.add(
                        o,
                        ref.field(),
                        "no " + ref.kind() + " " + ref.name() + " in this render"
                                + (ref.kind().equals("Secret")
                                        ? " (nor a SealedSecret; if the cluster provides it, list it in "
                                                + PolicyConfig.CLUSTER_PROVIDED_SECRETS + ")"
                                        : ""));
                continue;
            }
            for (String key : ref.keys()) {
                if (Json.at(target.get().body(), "data", key).isEmpty()
                        && Json.at(target.get().body(), "binaryData", key).isEmpty()
                        && Json.at(target.get().body(), "stringData", key).isEmpty()) {
                    findings.add(o, ref.field(), ref.kind() + " " + ref.name() + " has no key " + key);
                }
            }
        }
        for (String name : declared) {
            if (!usedDeclarations.contains(name)) {
                findings.add(
                        o, declaredField, "declares Secret " + name + " as cluster-provided but never references it");
            }
        }
    }

    /** The Secrets a Cluster's spec names: {@code {name, key}} selectors of object store credentials, and whole Secrets. */
    private static List<Ref> databaseSecrets(KubeObject cluster) {
        List<Ref> refs = new ArrayList<>();
        JsonObject spec = cluster.spec();
        Json.object(spec, "backup", "barmanObjectStore")
                .ifPresent(store -> credentialRefs(store, "spec.backup.barmanObjectStore", refs));
        List<JsonObject> external = Json.objects(spec, "externalClusters");
        for (JsonObject ext : external) {
            String at = "spec.externalClusters[" + Json.string(ext, "name").orElse("?") + "].barmanObjectStore";
            Json.object(ext, "barmanObjectStore").ifPresent(store -> credentialRefs(store, at, refs));
        }
        Json.string(spec, "bootstrap", "initdb", "secret", "name")
                .ifPresent(n -> refs.add(
                        new Ref("Secret", n, List.of("username", "password"), "spec.bootstrap.initdb.secret.name")));
        Json.string(spec, "superuserSecret", "name")
                .ifPresent(n -> refs.add(new Ref("Secret", n, List.of(), "spec.superuserSecret.name")));
        return refs;
    }

    private static void credentialRefs(JsonObject store, String at, List<Ref> refs) {
        for (String provider : List.of("s3Credentials", "azureCredentials", "googleCredentials")) {
            Json.object(store, provider)
                    .ifPresent(credentials -> credentials.entrySet().forEach(e -> {
                        if (e.getValue().isJsonObject()
                                && Json.string(e.getValue(), "name").isPresent()) {
                            String name = Json.string(e.getValue(), "name").orElseThrow();
                            List<String> keys = Json.string(e.getValue(), "key")
                                    .map(List::of)
                                    .orElse(List.of());
                            refs.add(new Ref("Secret", name, keys, at + "." + provider + "." + e.getKey() + ".name"));
                        }
                    }));
        }
    }

    /** The Secrets an object declares as provided by the cluster. */
    static Set<String> declared(Map<String, String> annotations) {
        return Arrays.stream(annotations
                        .getOrDefault(PolicyConfig.CLUSTER_PROVIDED_SECRETS, "")
                        .split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The ConfigMaps and Secrets a pod cannot start without: every reference that is not {@code optional}. */
    static List<Ref> references(PodTemplate pod) {
        List<Ref> refs = new ArrayList<>();
        for (JsonObject volume : Json.objects(pod.spec(), "volumes")) {
            String at = pod.field("volumes[" + Json.string(volume, "name").orElse("?") + "]");
            add(refs, volume, "configMap", "ConfigMap", "name", at + ".configMap.name");
            add(refs, volume, "secret", "Secret", "secretName", at + ".secret.secretName");
            List<JsonObject> sources = Json.objects(volume, "projected", "sources");
            for (int i = 0; i < sources.size(); i++) {
                String src = at + ".projected.sources[" + i + "]";
                add(refs, sources.get(i), "configMap", "ConfigMap", "name", src + ".configMap.name");
                add(refs, sources.get(i), "secret", "Secret", "name", src + ".secret.name");
            }
        }
        for (PodTemplate.Container c : pod.allContainers()) {
            for (JsonObject env : Json.objects(c.body(), "env")) {
                String at = c.field("env[" + Json.string(env, "name").orElse("?") + "].valueFrom");
                JsonObject valueFrom = Json.object(env, "valueFrom").orElseGet(JsonObject::new);
                add(refs, valueFrom, "configMapKeyRef", "ConfigMap", "name", at + ".configMapKeyRef");
                add(refs, valueFrom, "secretKeyRef", "Secret", "name", at + ".secretKeyRef");
            }
            List<JsonObject> envFrom = Json.objects(c.body(), "envFrom");
            for (int i = 0; i < envFrom.size(); i++) {
                String at = c.field("envFrom[" + i + "]");
                add(refs, envFrom.get(i), "configMapRef", "ConfigMap", "name", at + ".configMapRef.name");
                add(refs, envFrom.get(i), "secretRef", "Secret", "name", at + ".secretRef.name");
            }
        }
        List<JsonObject> pullSecrets = Json.objects(pod.spec(), "imagePullSecrets");
        for (int i = 0; i < pullSecrets.size(); i++) {
            add(refs, "Secret", pullSecrets.get(i), "name", pod.field("imagePullSecrets[" + i + "].name"));
        }
        return refs;
    }

    /** The reference {@code parent.key} makes, if any. */
    private static void add(
            List<Ref> refs, JsonObject parent, String key, String kind, String nameField, String field) {
        Json.object(parent, key).ifPresent(source -> add(refs, kind, source, nameField, field));
    }

    /** A reference with the keys it needs: a volume's {@code items}, an env var's {@code key}. */
    private static void add(List<Ref> refs, String kind, JsonObject source, String nameField, String field) {
        if (Json.bool(source, "optional").orElse(false)) {
            return; // the pod starts without it by design
        }
        List<String> keys = new ArrayList<>();
        Json.objects(source, "items")
                .forEach(i -> Json.string(i, "key").filter(k -> !k.isEmpty()).ifPresent(keys::add));
        Json.string(source, "key").ifPresent(keys::add);
        Json.string(source, nameField).ifPresent(name -> refs.add(new Ref(kind, name, keys, field)));
    }

    private void serviceAccount(Render render, PodTemplate pod, Findings findings) {
        String name = Json.string(pod.spec(), "serviceAccountName")
                .or(() -> Json.string(pod.spec(), "serviceAccount"))
                .orElse("");
        if (!name.isEmpty()
                && !name.equals("default")
                && render.find("ServiceAccount", pod.namespace(), name).isEmpty()) {
            findings.add(pod.owner(), pod.field("serviceAccountName"), "no ServiceAccount " + name + " in this render");
        }
    }
}
