package dev.usersapi.policy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.usersapi.policy.schema.CustomResourceSchemas;
import dev.usersapi.policy.schema.Violation;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A remote-only kustomization: it pulls one upstream manifest (Argo CD's install.yaml, the Sealed Secrets controller),
 * pinned to an exact release, over the network, so it renders only where that host is reachable. It says so with the
 * annotation {@link #MARKER} on its own {@code metadata}, whose value names a file in the same folder (the inventory)
 * that states what the manifest contains, as far as the repository relies on it:
 * <pre>
 * source: https://raw.githubusercontent.com/argoproj/argo-cd/v3.5.4/manifests/install.yaml
 * version: v3.5.4
 * kinds: [apps/Deployment, ConfigMap, ...]        # every kind the manifest renders
 * objects: [ConfigMap argocd-cm, ...]             # the upstream objects our patches and scripts rely on
 * placed: [RoleBinding some-binding kube-system]  # optional: upstream objects a transformer of the folder keeps
 *                                                 # out of the kustomization's namespace, and where
 * </pre>
 * Patches ({@code patches:} and {@code PatchTransformer} files under {@code transformers:}) are held to the inventory; a
 * {@code $patch: delete} removes a listed object. The marker exempts only the one URL it names, and only when its host
 * cannot be reached ({@link Reachability}). This class checks what needs no manifest; {@link RemoteUpstreams} adds the
 * renders and verifies the inventory against the real one.
 */
public final class RemoteUpstream {

    public static final String MARKER = PolicyConfig.ANNOTATION_PREFIX + "remote-upstream";

    /** An exact release: {@code v1.2.3} or {@code 1.2.3}, never a branch or a floating tag like {@code stable}. */
    static final Pattern VERSION = Pattern.compile("v?\\d+\\.\\d+\\.\\d+");

    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
    private static final Set<String> INVENTORY_KEYS = Set.of("source", "version", "kinds", "objects", "placed");
    private static final String PATCH_TRANSFORMER = "PatchTransformer";
    private static final Set<String> JSON_PATCH_OPS = Set.of("add", "remove", "replace", "move", "copy", "test");
    private static final String DELETE_DIRECTIVE = "$patch";

    /** A problem with the field it is about ({@code resources[2]}, {@code upstream.yaml: kinds[1]}). */
    public record Problem(String field, String message) {}

    /** An upstream object of the inventory that ends up in {@code namespace} rather than the kustomization's. */
    public record Placement(Target target, String namespace) {
        @Override
        public String toString() {
            return target + " in " + namespace;
        }
    }

    /** An upstream object named by kind and name. */
    public record Target(String kind, String name) {
        boolean names(KubeObject o) {
            return o.is(kind) && o.name().equals(name);
        }

        @Override
        public String toString() {
            return kind + " " + name;
        }
    }

    private final Path folder;
    private final JsonObject kustomization;
    private final String inventoryName;
    private final List<Problem> problems = new ArrayList<>();
    private String source = "";
    private String version = "";
    private final List<GroupKind> kinds = new ArrayList<>();
    private final List<Target> objects = new ArrayList<>();
    private final List<Placement> placed = new ArrayList<>();

    private RemoteUpstream(Path folder, JsonObject kustomization, String inventoryName) {
        this.folder = folder;
        this.kustomization = kustomization;
        this.inventoryName = inventoryName;
    }

    /** The marker's value, if the kustomization file carries the marker. */
    public static Optional<String> marker(Path kustomizationFile) {
        return mapping(kustomizationFile).flatMap(k -> Json.string(k, "metadata", "annotations", MARKER));
    }

    /** Reads a marked kustomization and its inventory; what is wrong with them is in {@link #problems()}. */
    public static RemoteUpstream read(Path kustomizationFile) {
        JsonObject kustomization = mapping(kustomizationFile).orElseGet(JsonObject::new);
        String name =
                Json.string(kustomization, "metadata", "annotations", MARKER).orElse("");
        RemoteUpstream upstream =
                new RemoteUpstream(kustomizationFile.toAbsolutePath().getParent(), kustomization, name);
        upstream.readInventory();
        upstream.checkReferences();
        return upstream;
    }

    private static Optional<JsonObject> mapping(Path file) {
        try {
            return YamlDocuments.soleMapping(Files.readString(file));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // rendering reports it with kustomize's own message
        }
    }

    public String source() {
        return source;
    }

    public String version() {
        return version;
    }

    public List<GroupKind> kinds() {
        return List.copyOf(kinds);
    }

    public List<Target> objects() {
        return List.copyOf(objects);
    }

    public List<Placement> placed() {
        return List.copyOf(placed);
    }

    /** The upstream objects an inline {@code $patch: delete} removes (such as CRDs another folder installs). */
    public List<Target> deleted() {
        List<Target> deleted = new ArrayList<>();
        for (JsonObject entry : Json.objects(kustomization, "patches")) {
            try {
                List<JsonElement> docs =
                        YamlDocuments.parse(Json.string(entry, "patch").orElse(""));
                if (docs.size() == 1
                        && Json.string(docs.get(0), DELETE_DIRECTIVE)
                                .filter("delete"::equals)
                                .isPresent()) {
                    target(entry, docs.get(0), "", new ArrayList<>()).ifPresent(deleted::add);
                }
            } catch (RuntimeException unreadable) {
                // patchProblems reports it
            }
        }
        return List.copyOf(deleted);
    }

    /** The namespace the kustomization puts namespaced objects in; empty if it sets none. */
    public String namespace() {
        return Json.string(kustomization, "namespace").orElse("");
    }

    public String inventoryName() {
        return inventoryName;
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /**
     * The kustomization without its remote resource and without patches or patch transformers (their targets are
     * upstream): what renders offline.
     */
    JsonObject localPart() {
        JsonObject local = kustomization.deepCopy();
        local.remove("patches");
        local.remove("metadata");
        leaveOut(local, "transformers", t -> patchTransformer(t).isPresent());
        leaveOut(local, "resources", RemoteUpstream::isRemote);
        return local;
    }

    private static void leaveOut(JsonObject kustomization, String key, Predicate<JsonElement> left) {
        if (kustomization.has(key)) {
            JsonArray kept = new JsonArray();
            Json.array(kustomization, key).forEach(e -> {
                if (!left.test(e)) {
                    kept.add(e);
                }
            });
            kustomization.add(key, kept);
        }
    }

    /**
     * Holds the patches to what is known without the manifest: each targets an object of the inventory or one of
     * {@code localObjects}, and a strategic-merge patch has only fields its kind has, of the right types.
     */
    List<Problem> patchProblems(List<KubeObject> localObjects) {
        List<Problem> found = new ArrayList<>();
        CustomResourceSchemas crds = SchemaCheck.bundledSchemas().with(localObjects);
        SchemaCheck schema = new SchemaCheck();
        Map<String, JsonElement> patches = new LinkedHashMap<>();
        List<JsonElement> entries = Json.array(kustomization, "patches").asList();
        for (int i = 0; i < entries.size(); i++) {
            patches.put("patches[" + i + "]", entries.get(i));
        }
        List<JsonElement> transformers =
                Json.array(kustomization, "transformers").asList();
        for (int i = 0; i < transformers.size(); i++) {
            String field = "transformers[" + i + "]";
            patchTransformer(transformers.get(i)).ifPresent(config -> patches.put(field, config));
        }
        for (Map.Entry<String, JsonElement> patchEntry : patches.entrySet()) {
            String field = patchEntry.getKey();
            if (!patchEntry.getValue().isJsonObject()) {
                found.add(new Problem(field, "not a patch entry (path: or patch:, with an optional target:)"));
                continue;
            }
            JsonObject entry = patchEntry.getValue().getAsJsonObject();
            Optional<JsonElement> body = patchBody(entry, field, found);
            if (body.isEmpty()) {
                continue;
            }
            Optional<Target> target = target(entry, body.get(), field, found);
            if (target.isEmpty()) {
                continue;
            }
            boolean local = localObjects.stream().anyMatch(target.get()::names);
            if (!local && !objects.contains(target.get())) {
                found.add(
                        new Problem(
                                field,
                                "targets " + target.get() + ", which " + inventoryName
                                        + " does not list among the upstream objects (objects:) and this folder does not define"));
            }
            if (body.get().isJsonObject()) {
                JsonObject object = body.get().getAsJsonObject().deepCopy();
                // `$patch: delete` is kustomize's directive to drop the target, not a field of the kind.
                object.remove(DELETE_DIRECTIVE);
                KubeObject patch = new KubeObject(object);
                for (Violation v : schema.violations(patch, crds)) {
                    // A strategic-merge patch is a partial object: only what it does say must fit the kind.
                    if (!v.message().startsWith("required field missing")) {
                        found.add(new Problem(field + " " + v.path(), v.message()));
                    }
                }
            } else {
                jsonPatchProblems(body.get(), field, found);
            }
        }
        return found;
    }

    /** A local transformer file of the folder that is a builtin PatchTransformer: its config (target, patch or path). */
    private Optional<JsonObject> patchTransformer(JsonElement reference) {
        if (!Json.isString(reference) || isRemote(reference)) {
            return Optional.empty();
        }
        return mapping(folder.resolve(reference.getAsString()).normalize())
                .filter(t ->
                        Json.string(t, "kind").filter(PATCH_TRANSFORMER::equals).isPresent());
    }

    private Optional<JsonElement> patchBody(JsonObject entry, String field, List<Problem> found) {
        Optional<String> path = Json.string(entry, "path");
        Optional<String> inline = Json.string(entry, "patch");
        if (path.isPresent() == inline.isPresent()) {
            found.add(new Problem(field, "needs exactly one of path: and patch:"));
            return Optional.empty();
        }
        String text;
        if (path.isPresent()) {
            if (isRemote(path.get())) {
                found.add(new Problem(
                        field + ".path",
                        "a remote patch is not allowed: only " + inventoryName + "'s source may be remote"));
                return Optional.empty();
            }
            Path file = folder.resolve(path.get()).normalize();
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                found.add(new Problem(field + ".path", "cannot read " + path.get()));
                return Optional.empty();
            }
        } else {
            text = inline.get();
        }
        try {
            List<JsonElement> docs = YamlDocuments.parse(text);
            if (docs.size() != 1) {
                found.add(new Problem(field, "a patch must be one YAML document, found " + docs.size()));
                return Optional.empty();
            }
            return Optional.of(docs.get(0));
        } catch (RuntimeException e) {
            found.add(new Problem(field, "not YAML: " + e.getMessage()));
            return Optional.empty();
        }
    }

    private Optional<Target> target(JsonObject entry, JsonElement body, String field, List<Problem> found) {
        Optional<JsonObject> selector = Json.object(entry, "target");
        String kind;
        String name;
        if (selector.isPresent()) {
            kind = Json.string(selector.get(), "kind").orElse("");
            name = Json.string(selector.get(), "name").orElse("");
        } else if (body.isJsonObject()) {
            kind = Json.string(body, "kind").orElse("");
            name = Json.string(body, "metadata", "name").orElse("");
        } else {
            found.add(new Problem(field, "a JSON patch needs target: with kind and name"));
            return Optional.empty();
        }
        if (kind.isEmpty() || !PLAIN_NAME.matcher(name).matches()) {
            found.add(new Problem(
                    field + (selector.isPresent() ? ".target" : ""),
                    "must name one object by kind and exact name" + " (no pattern): the policy checks it against "
                            + inventoryName));
            return Optional.empty();
        }
        return Optional.of(new Target(kind, name));
    }

    private static void jsonPatchProblems(JsonElement body, String field, List<Problem> found) {
        if (!body.isJsonArray()) {
            found.add(new Problem(
                    field, "neither a strategic-merge patch (an object) nor a JSON patch (a list of operations)"));
            return;
        }
        List<JsonElement> ops = body.getAsJsonArray().asList();
        for (int i = 0; i < ops.size(); i++) {
            String op = Json.string(ops.get(i), "op").orElse("");
            String path = Json.string(ops.get(i), "path").orElse("");
            if (!JSON_PATCH_OPS.contains(op) || !path.startsWith("/")) {
                found.add(new Problem(
                        field + "[" + i + "]",
                        "a JSON patch operation needs op: (one of "
                                + String.join(
                                        ", ", JSON_PATCH_OPS.stream().sorted().toList())
                                + ") and a path: starting with /"));
            }
        }
    }

    private void readInventory() {
        String where = inventoryName;
        if (inventoryName.isEmpty() || inventoryName.contains("/") || inventoryName.contains("\\")) {
            problems.add(new Problem(
                    "metadata.annotations[\"" + MARKER + "\"]",
                    "must name the inventory file in this folder (e.g. upstream.yaml), not '" + inventoryName + "'"));
            return;
        }
        Path file = folder.resolve(inventoryName);
        JsonObject inventory;
        try {
            Optional<JsonObject> mapping = YamlDocuments.soleMapping(Files.readString(file));
            if (mapping.isEmpty()) {
                problems.add(new Problem(where, "must be one YAML mapping with source, version, kinds and objects"));
                return;
            }
            inventory = mapping.get();
        } catch (IOException e) {
            problems.add(new Problem(
                    where, "missing: the marker names it, and the policy needs it to check this folder offline"));
            return;
        } catch (RuntimeException e) {
            problems.add(new Problem(where, "not YAML: " + e.getMessage()));
            return;
        }
        for (String key : inventory.keySet()) {
            if (!INVENTORY_KEYS.contains(key)) {
                problems.add(new Problem(
                        where + ": " + key, "unknown key (known: source, version, kinds, objects, placed)"));
            }
        }
        source = Json.string(inventory, "source").orElse("");
        version = Json.string(inventory, "version").orElse("");
        if (!VERSION.matcher(version).matches()) {
            problems.add(
                    new Problem(where + ": version", "must be an exact release like v1.2.3, not '" + version + "'"));
        }
        checkSource(where + ": source");
        List<JsonElement> kindList = Json.array(inventory, "kinds").asList();
        if (kindList.isEmpty()) {
            problems.add(new Problem(
                    where + ": kinds",
                    "required: every kind the manifest renders (group/Kind, or Kind for the core group)"));
        }
        for (int i = 0; i < kindList.size(); i++) {
            String text = Json.isString(kindList.get(i)) ? kindList.get(i).getAsString() : "";
            Optional<GroupKind> kind = GroupKind.parse(text);
            if (kind.isEmpty()) {
                problems.add(new Problem(where + ": kinds[" + i + "]", "'" + text + "' is not group/Kind or Kind"));
            } else if (kind.get().namespaced(List.of()).isEmpty()) {
                problems.add(new Problem(
                        where + ": kinds[" + i + "]",
                        "unknown kind " + text
                                + ": neither a built-in kind nor a CustomResourceDefinition the policy knows"));
            } else {
                kinds.add(kind.get());
            }
        }
        List<JsonElement> objectList = Json.array(inventory, "objects").asList();
        for (int i = 0; i < objectList.size(); i++) {
            String[] parts = words(objectList.get(i));
            if (parts.length != 2
                    || GroupKind.parse(parts[0])
                            .filter(k -> k.group().isEmpty())
                            .isEmpty()
                    || !PLAIN_NAME.matcher(parts[1]).matches()) {
                problems.add(
                        new Problem(where + ": objects[" + i + "]", "must be 'Kind name', e.g. 'ConfigMap argocd-cm'"));
            } else {
                objects.add(new Target(parts[0], parts[1]));
            }
        }
        for (Target t : objects) {
            if (kinds.stream().noneMatch(k -> k.kind().equals(t.kind()))) {
                problems.add(new Problem(where + ": objects", t + " is of a kind that kinds: does not list"));
            }
        }
        List<JsonElement> placedList = Json.array(inventory, "placed").asList();
        for (int i = 0; i < placedList.size(); i++) {
            String[] parts = words(placedList.get(i));
            if (parts.length != 3 || !PLAIN_NAME.matcher(parts[2]).matches()) {
                problems.add(new Problem(
                        where + ": placed[" + i + "]",
                        "must be 'Kind name namespace', e.g. 'RoleBinding x kube-system'"));
            } else if (!objects.contains(new Target(parts[0], parts[1]))) {
                problems.add(new Problem(
                        where + ": placed[" + i + "]", parts[0] + " " + parts[1] + " is not listed under objects:"));
            } else {
                placed.add(new Placement(new Target(parts[0], parts[1]), parts[2]));
            }
        }
    }

    private static String[] words(JsonElement entry) {
        return Json.isString(entry) ? entry.getAsString().strip().split("\\s+") : new String[0];
    }

    private void checkSource(String field) {
        URI uri;
        try {
            uri = new URI(source);
        } catch (URISyntaxException e) {
            problems.add(new Problem(field, "not a URL: '" + source + "'"));
            return;
        }
        boolean loopback = "http".equals(uri.getScheme())
                && Set.of("127.0.0.1", "localhost").contains(uri.getHost());
        if (!"https".equals(uri.getScheme()) && !loopback) {
            problems.add(new Problem(
                    field, "must be an https URL (plain http only for a loopback test server), not '" + source + "'"));
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            problems.add(new Problem(
                    field, "must name the file itself, without ?ref= or another query: a query can follow a branch"));
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!version.isEmpty() && !List.of(path.split("/")).contains(version)) {
            problems.add(
                    new Problem(
                            field,
                            "is not pinned to version " + version
                                    + ": the URL must contain it as a path segment (a release tag, never a branch such as stable or master)"));
        }
    }

    /** Every remote reference of the kustomization must be the inventory's source, listed once under resources. */
    private void checkReferences() {
        List<JsonElement> resources = Json.array(kustomization, "resources").asList();
        int remote = 0;
        for (int i = 0; i < resources.size(); i++) {
            if (isRemote(resources.get(i))) {
                remote++;
                if (!resources.get(i).getAsString().equals(source)) {
                    problems.add(new Problem(
                            "resources[" + i + "]",
                            "remote resource " + resources.get(i).getAsString() + " is not the source of "
                                    + inventoryName + " (" + source + "): the marker exempts that one URL only"));
                }
            }
        }
        if (remote == 0) {
            problems.add(new Problem(
                    "resources",
                    "has no remote resource: a kustomization that renders offline must not carry " + MARKER));
        } else if (remote > 1) {
            problems.add(new Problem(
                    "resources", "has " + remote + " remote resources: a remote-only kustomization pulls exactly one"));
        }
        for (String key : List.of("components", "bases", "crds")) {
            List<JsonElement> entries = Json.array(kustomization, key).asList();
            for (int i = 0; i < entries.size(); i++) {
                if (isRemote(entries.get(i))) {
                    problems.add(new Problem(
                            key + "[" + i + "]",
                            "remote " + key + " are not allowed: only " + inventoryName + "'s source may be remote"));
                }
            }
        }
        for (String legacy : List.of("patchesStrategicMerge", "patchesJson6902")) {
            if (kustomization.has(legacy)) {
                problems.add(new Problem(
                        legacy,
                        "use patches: (with a target or a kind and name), which the policy checks against "
                                + inventoryName));
            }
        }
    }

    private static boolean isRemote(JsonElement reference) {
        return Json.isString(reference) && isRemote(reference.getAsString());
    }

    /** What kustomize would fetch: a URL, or a git reference such as {@code github.com/org/repo//path?ref=v1}. */
    static boolean isRemote(String reference) {
        return reference.contains("://")
                || reference.startsWith("git@")
                || reference.startsWith("github.com/")
                || reference.startsWith("gitlab.com/")
                || reference.startsWith("bitbucket.org/");
    }
}
