package dev.usersapi.policy;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks the remote-only kustomizations ({@link RemoteUpstream}) of a repository, online or offline.
 * <ul>
 * <li>Its own files (a Namespace, NetworkPolicies) render without the manifest: the folder is copied, the remote
 * resource and the patches left out, and that local part is handed to every rule like any other render.</li>
 * <li>When the folder renders for real, the network is there: the upstream objects (patched) are held to the rules that
 * make sense for third-party manifests ({@link #UPSTREAM_RULES}), and the inventory is verified against them.</li>
 * <li>When the source's host cannot be reached ({@link Reachability}: its name does not resolve, or nothing accepts a
 * connection), the check is offline without running kustomize: the pinned source, the patches and the inventory are
 * checked as far as they can be without it. When the host is reachable, any failure of the render, such as a 404 for a
 * version that does not exist, is a render finding. Behind a proxy that is the only way out the probe fails, so such a
 * machine checks offline: less is checked, nothing is reported wrongly.</li>
 * </ul>
 */
public final class RemoteUpstreams {

    /**
     * What upstream objects are held to: valid for their kind, runnable under Pod Security `restricted` (their namespaces
     * enforce it, and a Namespace that the manifest brings, such as CloudNativePG's, must be patched to), images pinned,
     * no Secret data. Our own conventions (resource limits, probes, default-deny policies,
     * drain periods) are upstream's choice; its manifests are pinned and scanned (Trivy) instead.
     */
    static final Set<Rule> UPSTREAM_RULES = EnumSet.of(
            Rule.SCHEMA, Rule.POD_SECURITY, Rule.IMAGE_PINNING, Rule.PLAINTEXT_SECRET, Rule.NAMESPACE_POD_SECURITY);

    /**
     * The result for one marked kustomization.
     *
     * @param own      the render of the folder's own files, for every rule (empty if even that does not render)
     * @param findings what is wrong with the folder, its inventory or (online) the upstream objects
     * @param deployed what the folder deploys: the real render online; offline the own objects plus one entry per kind
     *                 and one per named object of the inventory (namespaced ones in the kustomization's namespace, or
     *                 where the inventory places them)
     * @param online   whether the manifest was fetched and rendered
     */
    public record Outcome(Optional<Render> own, List<Finding> findings, List<Deployed> deployed, boolean online) {}

    private final Path repository;
    private final KustomizeRenderer renderer;
    private final Map<Path, Outcome> outcomes = new ConcurrentHashMap<>();

    public RemoteUpstreams(Path repository, KustomizeRenderer renderer) {
        this.repository = repository.toAbsolutePath().normalize();
        this.renderer = renderer;
    }

    /** The outcome for a kustomization file if it carries {@link RemoteUpstream#MARKER}; empty for any other. */
    public Optional<Outcome> check(Path kustomizationFile) {
        Path file = kustomizationFile.toAbsolutePath().normalize();
        if (RemoteUpstream.marker(file).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(outcomes.computeIfAbsent(file, this::outcome));
    }

    /** Like {@link #check} for a folder (an Application's path). */
    public Optional<Outcome> checkFolder(Path folder) {
        return Kustomizations.fileIn(folder).flatMap(this::check);
    }

    private Outcome outcome(Path file) {
        String relative = repository.relativize(file).toString();
        Path folder = Objects.requireNonNull(file.getParent(), "a kustomization file is in a folder");
        RemoteUpstream upstream = RemoteUpstream.read(file);
        List<Finding> findings = new ArrayList<>();
        Findings render = new Findings(relative, Rule.RENDER, findings);
        upstream.problems().forEach(p -> render.add(null, p.field(), p.message()));

        List<KubeObject> own;
        try {
            own = localRender(folder, upstream);
        } catch (LocalRenderFailure e) {
            render.add(
                    null,
                    "(render)",
                    "its own files do not render without the remote manifest (a remote-only kustomization"
                            + " may reference nothing outside its folder but the manifest): " + e.getMessage());
            return new Outcome(Optional.empty(), findings, List.of(), false);
        }
        upstream.patchProblems(own).forEach(p -> render.add(null, p.field(), p.message()));

        if (!reachable(upstream.source())) {
            return offlineOutcome(relative, upstream, own, findings);
        }
        KustomizeRenderer.Outcome full = renderer.render(folder);
        if (full.ok()) {
            List<KubeObject> all = YamlDocuments.objects(full.yaml());
            List<KubeObject> upstreamObjects = all.stream()
                    .filter(o -> own.stream().noneMatch(m -> sameObject(m, o)))
                    .toList();
            verifyInventory(upstream, upstreamObjects, render);
            Render upstreamRender = new Render(relative, upstreamObjects);
            for (Check check : Policy.CHECKS) {
                if (UPSTREAM_RULES.contains(check.rule())) {
                    check.check(
                            upstreamRender, List.of(upstreamRender), new Findings(relative, check.rule(), findings));
                }
            }
            return new Outcome(Optional.of(new Render(relative, own)), findings, deployed(all), true);
        }
        render.add(null, "(render)", "kustomize failed: " + full.error());
        return new Outcome(Optional.of(new Render(relative, own)), findings, deployed(own), false);
    }

    /** Without the manifest: the own objects, plus one entry per kind and per named object of the inventory. */
    private static Outcome offlineOutcome(
            String relative, RemoteUpstream upstream, List<KubeObject> own, List<Finding> findings) {
        List<Deployed> deployed = new ArrayList<>(deployed(own));
        for (GroupKind kind : upstream.kinds()) {
            boolean namespaced = kind.namespaced(own).orElse(true);
            deployed.add(new Deployed(kind, "", namespaced ? upstream.namespace() : "", namespaced));
        }
        // The objects the inventory names are known by name too, in their namespace (placed: elsewhere).
        List<RemoteUpstream.Target> deleted = upstream.deleted();
        for (RemoteUpstream.Target t : upstream.objects()) {
            if (deleted.contains(t)) {
                continue; // a patch of the folder removes it
            }
            upstream.kinds().stream()
                    .filter(k -> k.kind().equals(t.kind()))
                    .findFirst()
                    .ifPresent(kind -> {
                        boolean namespaced = kind.namespaced(own).orElse(true);
                        String namespace = upstream.placed().stream()
                                .filter(p -> p.target().equals(t))
                                .map(RemoteUpstream.Placement::namespace)
                                .findFirst()
                                .orElse(upstream.namespace());
                        deployed.add(new Deployed(kind, t.name(), namespaced ? namespace : "", namespaced));
                    });
        }
        return new Outcome(Optional.of(new Render(relative, own)), findings, List.copyOf(deployed), false);
    }

    /** Whether the source's host answers; a source that is not a URL is a finding of its own, and offline here. */
    private static boolean reachable(String source) {
        try {
            return Reachability.reachable(new URI(source), Reachability.TIMEOUT);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void verifyInventory(RemoteUpstream upstream, List<KubeObject> upstreamObjects, Findings render) {
        String where = upstream.inventoryName();
        Set<GroupKind> rendered =
                upstreamObjects.stream().map(GroupKind::of).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<GroupKind> declared = new LinkedHashSet<>(upstream.kinds());
        rendered.stream()
                .filter(k -> !declared.contains(k))
                .sorted(Comparator.comparing(GroupKind::toString))
                .forEach(k -> render.add(
                        null, where + ": kinds", upstream.source() + " renders " + k + ", which kinds: does not list"));
        // A kind whose objects a patch of the folder deletes may be gone from the render: it is still the source's.
        List<RemoteUpstream.Target> deleted = upstream.deleted();
        Set<String> deletedKinds =
                deleted.stream().map(RemoteUpstream.Target::kind).collect(Collectors.toSet());
        declared.stream()
                .filter(k -> !rendered.contains(k) && !deletedKinds.contains(k.kind()))
                .forEach(k -> render.add(
                        null, where + ": kinds", "lists " + k + ", which " + upstream.source() + " does not render"));
        for (RemoteUpstream.Target t : upstream.objects()) {
            boolean present = upstreamObjects.stream().anyMatch(t::names);
            if (deleted.contains(t) && present) {
                render.add(null, where + ": objects", "a patch deletes " + t + ", but the render still has it");
            } else if (!deleted.contains(t) && !present) {
                render.add(
                        null, where + ": objects", "lists " + t + ", which " + upstream.source() + " does not render");
            }
        }
        for (RemoteUpstream.Placement p : upstream.placed()) {
            if (upstreamObjects.stream()
                    .noneMatch(o -> p.target().names(o) && o.namespace().equals(p.namespace()))) {
                render.add(null, where + ": placed", "lists " + p + ", but the render puts it elsewhere");
            }
        }
    }

    private List<KubeObject> localRender(Path folder, RemoteUpstream upstream) {
        Path copy = null;
        try {
            copy = Files.createTempDirectory("policy-local-part-");
            copyTree(folder, copy);
            Path kustomization = Kustomizations.fileIn(copy).orElseThrow();
            // JSON is YAML: kustomize reads the rewritten file as it reads any other.
            Files.writeString(kustomization, new Gson().toJson(upstream.localPart()));
            KustomizeRenderer.Outcome outcome = renderer.render(copy);
            if (!outcome.ok()) {
                throw new LocalRenderFailure(outcome.error());
            }
            return YamlDocuments.objects(outcome.yaml());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + folder, e);
        } finally {
            if (copy != null) {
                deleteTree(copy);
            }
        }
    }

    private static final class LocalRenderFailure extends RuntimeException {
        LocalRenderFailure(String message) {
            super(message);
        }
    }

    static List<Deployed> deployed(List<KubeObject> objects) {
        List<Deployed> result = new ArrayList<>();
        for (KubeObject o : objects) {
            // An unknown kind is a schema finding already; counting it as namespaced keeps its namespace checked.
            boolean namespaced = GroupKind.of(o).namespaced(objects).orElse(true);
            result.add(new Deployed(GroupKind.of(o), o.name(), o.namespace(), namespaced));
        }
        return List.copyOf(result);
    }

    private static boolean sameObject(KubeObject a, KubeObject b) {
        return a.apiVersion().equals(b.apiVersion()) && a.id().equals(b.id());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(p)) {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
