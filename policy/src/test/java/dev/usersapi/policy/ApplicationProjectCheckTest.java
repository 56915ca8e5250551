package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gitops rule on a small repository of its own (fixtures/gitops-repository): the valid one passes, and each case
 * breaks one thing in a copy of it and must produce the finding that names it.
 */
class ApplicationProjectCheckTest {

    private static final String APPS = "gitops/apps/kustomization.yaml";

    @TempDir
    Path repo;

    @BeforeEach
    void copyTheFixtureRepository() throws IOException {
        TestRepository.copyGitopsRepositoryFixture(repo);
    }

    private List<String> gitopsFindings() {
        Policy.Result result = new Policy(repo, KustomizeRenderer.shared()).check(List.of(repo.resolve(APPS)));
        return result.findings().stream()
                .filter(f -> f.rule() == Rule.GITOPS)
                .map(Finding::toString)
                .toList();
    }

    /** One edit, or several whose files, old and new texts are separated by | in the same position. */
    private static List<String[]> edits(String files, String froms, String tos) {
        String[] f = files.split("\\|", -1);
        String[] a = froms.split("\\|", -1);
        String[] b = tos.split("\\|", -1);
        return java.util.stream.IntStream.range(0, f.length)
                .mapToObj(i -> new String[] {f[i], a[i], b[i]})
                .toList();
    }

    private void replace(String file, String from, String to) throws IOException {
        Path p = repo.resolve(file);
        String text = Files.readString(p);
        assertThat(text).as("%s holds the text the case changes", file).contains(from);
        Files.writeString(p, text.replace(from, to));
    }

    @Test
    void theFixtureRepositoryPasses() {
        assertThat(gitopsFindings()).isEmpty();
    }

    @Test
    void aForkThatRenamedItsRepositoryStillHasItsApplicationsChecked() throws IOException {
        // The Applications are in scope because their repoURL is the repository's own, whatever its name.
        replace(
                "gitops/repository/repository.yaml",
                "https://git.example.com/demo.git",
                "https://git.example.com/other.git");
        replace("app/objects.yaml", "kind: ServiceAccount", "kind: Secret");
        assertThat(gitopsFindings())
                .as("a fork that renamed its repository still checks its Applications")
                .anySatisfy(
                        f -> assertThat(f).contains("renders Secret demo/demo, which AppProject demo does not allow"));
    }

    static Stream<Arguments> brokenRepositories() {
        return Stream.of(
                arguments(
                        "a namespaced kind the project does not allow",
                        "app/objects.yaml",
                        "kind: ServiceAccount",
                        "kind: Secret",
                        "Application argocd/demo: spec.source.path: app renders Secret demo/demo, which AppProject demo does not allow"
                                + " (add Secret to spec.namespaceResourceWhitelist)"),
                arguments(
                        "a cluster-scoped kind the project does not allow",
                        "gitops/apps/projects.yaml",
                        "  clusterResourceWhitelist:\n    - group: \"\"\n      kind: Namespace\n  namespaceResourceWhitelist:\n    - group: \"\"\n      kind: ConfigMap\n    - group: \"\"\n      kind: ServiceAccount",
                        "  clusterResourceWhitelist: []\n  namespaceResourceWhitelist:\n    - group: \"\"\n      kind: ConfigMap\n    - group: \"\"\n      kind: ServiceAccount",
                        "Application argocd/demo: spec.source.path: app renders Namespace demo, which AppProject demo does not allow"
                                + " (add Namespace to spec.clusterResourceWhitelist)"),
                // Two edits (separated by |): without the kustomization's namespace, the object keeps its own.
                arguments(
                        "an object in a namespace the project does not allow",
                        "app/kustomization.yaml|app/objects.yaml",
                        "namespace: demo\n|  name: demo-settings\n",
                        "|  name: demo-settings\n  namespace: kube-system\n",
                        "Application argocd/demo: spec.source.path: app renders ConfigMap kube-system/demo-settings into namespace"
                                + " kube-system, which AppProject demo does not allow (spec.destinations)"),
                arguments(
                        "a grant no Application uses",
                        "gitops/apps/projects.yaml",
                        "    - group: \"\"\n      kind: ServiceAccount\n",
                        "    - group: \"\"\n      kind: ServiceAccount\n    - group: batch\n      kind: CronJob\n",
                        "AppProject argocd/demo: spec.namespaceResourceWhitelist[batch/CronJob]: grants a kind that none of its"
                                + " Applications renders (least privilege: remove it)"),
                arguments(
                        "a destination no Application uses",
                        "gitops/apps/projects.yaml",
                        "      namespace: demo\n",
                        "      namespace: demo\n    - server: https://kubernetes.default.svc\n      namespace: spare\n",
                        "AppProject argocd/demo: spec.destinations[1]: grants https://kubernetes.default.svc spare, which none of its"
                                + " Applications deploys to (least privilege: remove it)"),
                arguments(
                        "a wildcard destination",
                        "gitops/apps/projects.yaml",
                        "      namespace: demo\n",
                        "      namespace: '*'\n",
                        "AppProject argocd/demo: spec.destinations[0]: 'https://kubernetes.default.svc *' is a wildcard: name each namespace"),
                arguments(
                        "no namespaced whitelist (Argo CD then allows every namespaced kind)",
                        "gitops/apps/projects.yaml",
                        "  namespaceResourceWhitelist:\n    - group: \"\"\n      kind: ConfigMap\n    - group: \"\"\n      kind: ServiceAccount\n",
                        "",
                        "AppProject argocd/demo: spec.namespaceResourceWhitelist: missing: Argo CD then allows every namespaced kind"),
                arguments(
                        "a path that does not exist",
                        "gitops/apps/applications.yaml",
                        "    path: app\n",
                        "    path: apps\n",
                        "Application argocd/demo: spec.source.path: apps does not exist in this repository"),
                arguments(
                        "a path that does not render",
                        "app/kustomization.yaml",
                        "  - objects.yaml\n",
                        "  - missing.yaml\n",
                        "Application argocd/demo: spec.source.path: app does not render: "),
                arguments(
                        "a project that is not in the render",
                        "gitops/apps/applications.yaml",
                        "  project: demo\n",
                        "  project: demo2\n",
                        "Application argocd/demo: spec.project: AppProject demo2 is not in this render"),
                arguments(
                        "the default project",
                        "gitops/apps/applications.yaml",
                        "  project: demo\n",
                        "  project: default\n",
                        "Application argocd/demo: spec.project: uses the default project"),
                arguments(
                        "a default project that grants something",
                        "gitops/apps/projects.yaml",
                        "  sourceRepos: []\n  destinations: []\n",
                        "  sourceRepos: ['*']\n  destinations:\n    - server: '*'\n      namespace: '*'\n",
                        "AppProject argocd/default: spec: the default project must grant nothing"),
                arguments(
                        "an Application outside Argo CD's namespace",
                        "gitops/apps/applications.yaml",
                        "  name: demo\n  namespace: argocd\n",
                        "  name: demo\n  namespace: demo\n",
                        "Application demo/demo: metadata.namespace: Argo CD reads Applications only from namespace argocd, not demo"),
                // Offline, a remote-only path counts with the kinds of its inventory.
                arguments(
                        "a kind only the upstream inventory declares",
                        "gitops/apps/projects.yaml",
                        "    - group: rbac.authorization.k8s.io\n      kind: ClusterRole\n",
                        "",
                        "Application argocd/upstream: spec.source.path: gitops/upstream renders rbac.authorization.k8s.io/ClusterRole,"
                                + " which AppProject platform does not allow (add rbac.authorization.k8s.io/ClusterRole to spec.clusterResourceWhitelist)"));
    }

    @Test
    void aRepositoryTheProjectDoesNotTrust() throws IOException {
        // The component writes this repository into every project; this one opts out and trusts another.
        replace(
                "gitops/repository/kustomization.yaml",
                "          - name: default\n",
                "          - name: default\n          - name: demo\n");
        replace(
                "gitops/apps/projects.yaml",
                "  name: demo\n  namespace: argocd\nspec:\n",
                "  name: demo\n  namespace: argocd\nspec:\n  sourceRepos:\n    - https://git.example.com/elsewhere.git\n");

        assertThat(gitopsFindings())
                .contains(
                        APPS
                                + ": Application argocd/demo: spec.source.repoURL: AppProject demo does not trust repository"
                                + " https://git.example.com/demo.git (spec.sourceRepos) [gitops]",
                        APPS
                                + ": AppProject argocd/demo: spec.sourceRepos: trusts https://git.example.com/elsewhere.git, which none of its"
                                + " Applications deploys from (remove it) [gitops]");
    }

    private static final String HPA = """
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: demo
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: demo}
              minReplicas: 1
              maxReplicas: 2
              metrics:
                - type: Resource
                  resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
            """;
    private static final String NO_METRICS_API =
            APPS + ": Application argocd/demo: spec.source.path: deploys a HorizontalPodAutoscaler,"
                    + " but no Application of an earlier sync wave serves the resource metrics API";

    /** The upstream of the fixture becomes a metrics-server: its inventory names the APIService; it syncs in wave {@code wave}. */
    private void upstreamServesTheMetricsApiInWave(int wave) throws IOException {
        replace(
                "gitops/upstream/upstream.yaml",
                "  - rbac.authorization.k8s.io/ClusterRole\n",
                "  - rbac.authorization.k8s.io/ClusterRole\n  - apiregistration.k8s.io/APIService\n");
        replace("gitops/upstream/upstream.yaml", "objects:\n", "objects:\n  - APIService v1beta1.metrics.k8s.io\n");
        replace(
                "gitops/apps/applications.yaml",
                "  name: upstream\n  namespace: argocd\n",
                "  name: upstream\n  namespace: argocd\n  annotations:\n    argocd.argoproj.io/sync-wave: \"" + wave
                        + "\"\n");
        replace(
                "gitops/apps/projects.yaml",
                "    - group: rbac.authorization.k8s.io\n      kind: ClusterRole\n",
                "    - group: rbac.authorization.k8s.io\n      kind: ClusterRole\n    - group: apiregistration.k8s.io\n      kind: APIService\n");
    }

    @Test
    void anAutoscalerWithoutAMetricsApiIsAFinding() throws IOException {
        Files.writeString(repo.resolve("app/objects.yaml"), HPA, java.nio.file.StandardOpenOption.APPEND);

        assertThat(gitopsFindings()).anySatisfy(f -> assertThat(f).startsWith(NO_METRICS_API));
    }

    @Test
    void anAutoscalerAfterTheMetricsApiIsFine() throws IOException {
        Files.writeString(repo.resolve("app/objects.yaml"), HPA, java.nio.file.StandardOpenOption.APPEND);
        upstreamServesTheMetricsApiInWave(-2);

        assertThat(gitopsFindings()).noneSatisfy(f -> assertThat(f).startsWith(NO_METRICS_API));
    }

    @Test
    void aMetricsApiInTheSameWaveComesTooLate() throws IOException {
        Files.writeString(repo.resolve("app/objects.yaml"), HPA, java.nio.file.StandardOpenOption.APPEND);
        upstreamServesTheMetricsApiInWave(0);

        assertThat(gitopsFindings()).anySatisfy(f -> assertThat(f).startsWith(NO_METRICS_API));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRepositories")
    void eachBreakIsFound(String description, String file, String from, String to, String expected) throws IOException {
        for (String[] edit : edits(file, from, to)) {
            replace(edit[0], edit[1], edit[2]);
        }

        assertThat(gitopsFindings())
                .anySatisfy(
                        f -> assertThat(f).startsWith(APPS + ": " + expected).endsWith("[gitops]"));
    }
}
