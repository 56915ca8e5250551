package dev.usersapi.policy;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gitops rule: every Argo CD Application that deploys from this repository (its repoURL is the one of
 * {@link Repositories#GITOPS_REPOSITORY_FILE}) names a path that exists and renders, and its AppProject allows
 * every kind and namespace that path renders - and nothing more: a kind, namespace or repository that the project
 * grants but none of its Applications uses is a finding too, so a project's grants are exactly what its paths need.
 * The project itself must be in the render, in Argo CD's namespace, and without wildcards; Argo CD's built-in
 * {@code default} project (which allows everything) must be declared and grant nothing.
 * <p>
 * Argo CD rates a HorizontalPodAutoscaler without metrics Degraded, so an Application that deploys one needs another of
 * an earlier sync wave that serves the resource metrics API (APIService {@value #METRICS_API}).
 * <p>
 * A remote-only path ({@link RemoteUpstream}) counts with what {@link RemoteUpstreams} knows of it: its real render
 * when online, its own objects plus the kinds of its inventory offline. Applications that deploy from another
 * repository are out of this rule's reach, except that their project must trust their repository and destination;
 * a project with such an Application is not checked for unused grants.
 */
public final class ApplicationProjectCheck implements Check {

    /** Argo CD reads Applications and AppProjects only from its own namespace (apps-in-any-namespace is off). */
    static final String ARGOCD_NAMESPACE = "argocd";

    static final String DEFAULT_PROJECT = "default";
    static final String METRICS_API = "v1beta1.metrics.k8s.io";
    private static final GroupKind HPA = new GroupKind("autoscaling", "HorizontalPodAutoscaler");
    private static final GroupKind API_SERVICE = new GroupKind("apiregistration.k8s.io", "APIService");

    private final Path repository;
    private final KustomizeRenderer renderer;
    private final RemoteUpstreams remoteUpstreams;
    private final Optional<String> repositoryUrl;

    public ApplicationProjectCheck(Path repository, KustomizeRenderer renderer, RemoteUpstreams remoteUpstreams) {
        this.repository = repository.toAbsolutePath().normalize();
        this.renderer = renderer;
        this.remoteUpstreams = remoteUpstreams;
        this.repositoryUrl = Repositories.url(this.repository).map(Repositories::normalize);
    }

    @Override
    public Rule rule() {
        return Rule.GITOPS;
    }

    /** What one project is seen to need by the Applications of a render that use it. */
    private static final class Usage {
        final Set<GroupKind> kinds = new LinkedHashSet<>();
        final Set<Integer> destinations = new LinkedHashSet<>();
        final Set<String> repos = new LinkedHashSet<>();
        int ofThisRepository;
        boolean complete = true; // false once an Application's contents cannot be known
    }

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        List<KubeObject> applications = render.objects().stream()
                .filter(o -> ArgoApplications.is(o, "Application"))
                .toList();
        Map<String, KubeObject> projects = new LinkedHashMap<>();
        render.objects().stream()
                .filter(o -> ArgoApplications.is(o, "AppProject"))
                .forEach(p -> projects.put(p.name(), p));
        if (applications.isEmpty() && projects.isEmpty()) {
            return;
        }
        Map<String, Usage> usage = new LinkedHashMap<>();
        Map<KubeObject, List<Deployed>> deployedByApp = new LinkedHashMap<>();
        boolean anyInScope = false;
        for (KubeObject app : applications) {
            anyInScope |= checkApplication(app, projects, usage, deployedByApp, findings);
        }
        checkMetricsApi(deployedByApp, findings);
        for (KubeObject project : projects.values()) {
            checkProject(new AppProject(project), usage.get(project.name()), findings);
        }
        if (anyInScope
                && all.stream()
                        .flatMap(r -> r.objects().stream())
                        .noneMatch(o ->
                                ArgoApplications.is(o, "AppProject") && o.name().equals(DEFAULT_PROJECT))) {
            findings.add(
                    applications.get(0),
                    "spec.project",
                    "no AppProject " + DEFAULT_PROJECT + " is declared: Argo CD then creates one"
                            + " that allows every repository, destination and kind; declare it with no sourceRepos and no destinations");
        }
    }

    /** Checks one Application; true if it deploys from this repository (and so was checked in full). */
    private boolean checkApplication(
            KubeObject app,
            Map<String, KubeObject> projects,
            Map<String, Usage> usage,
            Map<KubeObject, List<Deployed>> deployedByApp,
            Findings findings) {
        String projectName = Json.string(app.spec(), "project").orElse("");
        JsonObject destination = Json.object(app.spec(), "destination").orElseGet(JsonObject::new);
        String server = Json.string(destination, "server").orElse("");
        String cluster = Json.string(destination, "name").orElse("");
        String namespace = Json.string(destination, "namespace").orElse("");
        List<ArgoApplications.Source> sources = ArgoApplications.sources(app);
        boolean inScope = !sources.isEmpty() && sources.stream().allMatch(s -> s.from(repositoryUrl));

        if (projectName.isEmpty() || projectName.equals(DEFAULT_PROJECT)) {
            findings.add(
                    app,
                    "spec.project",
                    (projectName.isEmpty() ? "names no project, so it lands in " : "uses ")
                            + "the default project: name a project that grants only what this Application deploys");
            return inScope;
        }
        KubeObject projectObject = projects.get(projectName);
        if (projectObject == null) {
            findings.add(
                    app,
                    "spec.project",
                    "AppProject " + projectName + " is not in this render: keep a project with its Applications");
            return inScope;
        }
        AppProject project = new AppProject(projectObject);
        Usage used = usage.computeIfAbsent(projectName, n -> new Usage());

        for (ArgoApplications.Source source : sources) {
            List<String> trusting = project.reposTrusting(source.repoURL());
            if (trusting.isEmpty()) {
                findings.add(
                        app,
                        source.field() + ".repoURL",
                        "AppProject " + projectName + " does not trust repository " + source.repoURL()
                                + " (spec.sourceRepos)");
            }
            used.repos.addAll(trusting);
        }
        Optional<AppProject.Destination> allowed = project.destinationFor(server, cluster, namespace);
        if (allowed.isEmpty()) {
            findings.add(
                    app,
                    "spec.destination",
                    "AppProject " + projectName + " does not allow destination " + (server.isEmpty() ? cluster : server)
                            + " namespace " + (namespace.isEmpty() ? "(none)" : namespace));
        } else {
            used.destinations.add(allowed.get().index());
        }
        if (!inScope) {
            used.complete = false;
            return false;
        }
        used.ofThisRepository++;

        if (!app.namespace().equals(ARGOCD_NAMESPACE)) {
            findings.add(
                    app,
                    "metadata.namespace",
                    "Argo CD reads Applications only from namespace " + ARGOCD_NAMESPACE + ", not "
                            + (app.namespace().isEmpty() ? "(none)" : app.namespace()));
        }
        for (ArgoApplications.Source source : sources) {
            String field = source.field() + ".path";
            String path = source.path();
            Optional<List<Deployed>> deployed = deployedBy(app, field, path, findings);
            if (deployed.isEmpty()) {
                used.complete = false;
                continue;
            }
            deployedByApp.computeIfAbsent(app, a -> new ArrayList<>()).addAll(deployed.get());
            for (Deployed d : deployed.get()) {
                used.kinds.add(d.kind());
                if (!project.allows(d.kind(), d.namespaced())) {
                    findings.add(
                            app,
                            field,
                            path + " renders " + d + ", which AppProject " + projectName + " does not allow (add "
                                    + d.kind() + " to spec."
                                    + (d.namespaced() ? "namespaceResourceWhitelist" : "clusterResourceWhitelist")
                                    + ")");
                }
                String ns = d.namespaceUnder(namespace);
                if (d.namespaced()) {
                    Optional<AppProject.Destination> dest = project.destinationFor(server, cluster, ns);
                    if (dest.isEmpty()) {
                        findings.add(
                                app,
                                field,
                                path + " renders " + d + " into namespace " + (ns.isEmpty() ? "(none)" : ns)
                                        + ", which AppProject " + projectName + " does not allow (spec.destinations)");
                    } else {
                        used.destinations.add(dest.get().index());
                    }
                }
            }
        }
        return true;
    }

    /** Each Application that deploys an HPA needs the resource metrics API from an Application of an earlier wave. */
    private static void checkMetricsApi(Map<KubeObject, List<Deployed>> deployedByApp, Findings findings) {
        List<Integer> servingWaves = deployedByApp.entrySet().stream()
                .filter(e -> e.getValue().stream()
                        .anyMatch(d -> d.kind().equals(API_SERVICE) && d.name().equals(METRICS_API)))
                .map(e -> wave(e.getKey()))
                .toList();
        deployedByApp.forEach((app, deployed) -> {
            if (deployed.stream().anyMatch(d -> d.kind().equals(HPA))
                    && servingWaves.stream().noneMatch(w -> w < wave(app))) {
                findings.add(
                        app,
                        "spec.source.path",
                        "deploys a HorizontalPodAutoscaler, but no Application of an earlier sync wave"
                                + " serves the resource metrics API (APIService " + METRICS_API
                                + ", e.g. metrics-server): without it the HPA"
                                + " reports ScalingActive=False and Argo CD rates it Degraded");
            }
        });
    }

    private static int wave(KubeObject app) {
        String text = Json.string(app.body(), "metadata", "annotations", "argocd.argoproj.io/sync-wave")
                .orElse("0");
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** What the folder at an Application's path deploys, or empty after reporting why it cannot be known. */
    private Optional<List<Deployed>> deployedBy(KubeObject app, String field, String path, Findings findings) {
        Optional<String> problem = ArgoApplications.pathProblem(repository, path);
        if (problem.isPresent()) {
            findings.add(app, field, problem.get());
            return Optional.empty();
        }
        Path folder = repository.resolve(path).normalize();
        Optional<RemoteUpstreams.Outcome> remote = remoteUpstreams.checkFolder(folder);
        if (remote.isPresent()) {
            if (remote.get().deployed().isEmpty()) {
                findings.add(app, field, path + " does not render (see the findings of " + path + " itself)");
                return Optional.empty();
            }
            return Optional.of(remote.get().deployed());
        }
        KustomizeRenderer.Outcome outcome = renderer.render(folder);
        if (!outcome.ok()) {
            findings.add(app, field, path + " does not render: " + outcome.error());
            return Optional.empty();
        }
        List<KubeObject> objects = YamlDocuments.objects(outcome.yaml());
        if (objects.isEmpty()) {
            findings.add(app, field, path + " renders no object");
            return Optional.empty();
        }
        return Optional.of(RemoteUpstreams.deployed(objects));
    }

    private void checkProject(AppProject project, Usage used, Findings findings) {
        KubeObject o = project.object();
        if (project.name().equals(DEFAULT_PROJECT)) {
            if (!project.sourceRepos().isEmpty() || !project.destinations().isEmpty()) {
                findings.add(
                        o,
                        "spec",
                        "the default project must grant nothing (no sourceRepos, no destinations): Argo CD puts"
                                + " every Application that names no project in it");
            }
            return;
        }
        if (used == null) {
            findings.add(
                    o, "metadata.name", "no Application of this render uses it: keep a project with its Applications");
            return;
        }
        if (used.ofThisRepository > 0 && !o.namespace().equals(ARGOCD_NAMESPACE)) {
            findings.add(o, "metadata.namespace", "Argo CD reads AppProjects only from namespace " + ARGOCD_NAMESPACE);
        }
        project.sourceRepos().stream()
                .filter(r -> r.contains("*"))
                .forEach(r ->
                        findings.add(o, "spec.sourceRepos", "'" + r + "' trusts more than one repository: name each"));
        for (AppProject.Destination d : project.destinations()) {
            if (d.wildcard()) {
                findings.add(
                        o, "spec.destinations[" + d.index() + "]", "'" + d + "' is a wildcard: name each namespace");
            }
        }
        for (String field : List.of("clusterResourceWhitelist", "namespaceResourceWhitelist")) {
            for (AppProject.KindRule r : project.kinds(field)) {
                if (r.wildcard()) {
                    findings.add(
                            o, "spec." + field + "[" + r.index() + "]", "'" + r + "' is a wildcard: list each kind");
                }
            }
        }
        if (!used.complete) {
            return; // what its Applications need is not fully known, so no grant can be called unused
        }
        if (!project.hasNamespaceWhitelist()) {
            findings.add(
                    o,
                    "spec.namespaceResourceWhitelist",
                    "missing: Argo CD then allows every namespaced kind; list the kinds its" + " Applications render");
        }
        for (String field : List.of("clusterResourceWhitelist", "namespaceResourceWhitelist")) {
            for (AppProject.KindRule r : project.kinds(field)) {
                if (!r.wildcard() && used.kinds.stream().noneMatch(r::matches)) {
                    findings.add(
                            o,
                            "spec." + field + "[" + r + "]",
                            "grants a kind that none of its Applications renders" + " (least privilege: remove it)");
                }
            }
        }
        for (AppProject.Destination d : project.destinations()) {
            if (!d.wildcard() && !used.destinations.contains(d.index())) {
                findings.add(
                        o,
                        "spec.destinations[" + d.index() + "]",
                        "grants " + d + ", which none of its Applications deploys to"
                                + " (least privilege: remove it)");
            }
        }
        for (String r : project.sourceRepos()) {
            if (!r.contains("*") && !used.repos.contains(r)) {
                findings.add(
                        o,
                        "spec.sourceRepos",
                        "trusts " + r + ", which none of its Applications deploys from (remove it)");
            }
        }
    }
}
