package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decisions the gitops/ tree stands for, on the real repository as it is after its first promoted release (a copy
 * with the prod component in gitops/apps, as scripts/lib/release.sh adds it), so prod's Application and project are
 * held to them too; the repository as committed, before any release, deploys no prod.
 */
class GitopsTreeTest {

    private static Path root;
    private static Path released;
    private static List<KubeObject> apps;
    private static List<KubeObject> rootApp;

    @BeforeAll
    static void renderTheTree() throws IOException {
        root = TestRepository.root();
        released = Files.createTempDirectory("gitops-released-");
        copyWithProdReleased(released);
        apps = render(released.resolve("gitops/apps"));
        rootApp = render(root.resolve("gitops/root"));
    }

    @AfterAll
    static void removeTheCopy() throws IOException {
        try (Stream<Path> paths = Files.walk(released)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A copy of the deployable folders, with gitops/apps as after the first release (the edit release.sh makes). */
    private static void copyWithProdReleased(Path target) throws IOException {
        TestRepository.copy(target, "base", "overlays", "monitoring", "gitops");
        Path kustomization = target.resolve("gitops/apps/kustomization.yaml");
        String text = Files.readString(kustomization);
        assertThat(text).contains("components:\n  - ../repository\n").doesNotContain("  - prod\n");
        Files.writeString(
                kustomization,
                text.replace("components:\n  - ../repository\n", "components:\n  - prod\n  - ../repository\n"));
    }

    @Test
    void beforeItsFirstReleaseTheRepositoryDeploysNoProd() {
        assertThat(render(root.resolve("gitops/apps")))
                .noneMatch(o -> o.name().equals("users-api-prod"))
                .anyMatch(o -> o.is("Application") && o.name().equals("users-api-dev"));
    }

    @Test
    void afterTheFirstReleaseEveryGitopsRuleHoldsForProdToo() {
        List<String> findings = new Policy(released, KustomizeRenderer.shared())
                .check(Kustomizations.discover(released, Kustomizations.REPOSITORY_ROOTS)).findings().stream()
                        .map(Finding::toString)
                        .toList();
        assertThat(findings).isEmpty();
        assertThat(apps).anyMatch(o -> o.is("AppProject") && o.name().equals("users-api-prod"));
    }

    @Test
    void prodRunsAPinnedReleaseAndDevFollowsTheBranch() {
        assertThat(Json.string(application("users-api-prod").spec(), "source", "targetRevision"))
                .as("until the first release")
                .contains("RELEASE");
        assertThat(Json.string(application("users-api-dev").spec(), "source", "targetRevision"))
                .contains("main");
    }

    private static List<KubeObject> render(Path folder) {
        KustomizeRenderer.Outcome outcome = KustomizeRenderer.shared().render(folder);
        assertThat(outcome.ok()).as("%s renders: %s", folder, outcome.error()).isTrue();
        List<KubeObject> objects = new ArrayList<>();
        for (JsonElement doc : YamlDocuments.parse(outcome.yaml())) {
            objects.add(new KubeObject(doc.getAsJsonObject()));
        }
        return objects;
    }

    private static KubeObject application(String name) {
        return Stream.concat(apps.stream(), rootApp.stream())
                .filter(o -> o.is("Application") && o.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Application " + name));
    }

    private static int wave(KubeObject o) {
        return Integer.parseInt(Json.string(o.metadata(), "annotations", "argocd.argoproj.io/sync-wave")
                .orElse("0"));
    }

    @Test
    void theRepositoryUrlIsWrittenInExactlyOnePlace() throws IOException {
        String url = Repositories.url(root)
                .orElseThrow(() -> new AssertionError(Repositories.GITOPS_REPOSITORY_FILE + " has no data.url"));
        String needle = url.replaceFirst("^https?://", "").replaceFirst("\\.git$", "");
        List<String> holders;
        try (Stream<Path> files = Files.walk(root)) {
            holders = files.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(".git", "target", "node_modules")
                            .noneMatch(skip -> java.util.stream.StreamSupport.stream(
                                            root.relativize(p).spliterator(), false)
                                    .anyMatch(part -> part.toString().equals(skip))))
                    .filter(p -> !p.getFileName().toString().endsWith(".md")) // prose may explain the file to change
                    .filter(p -> {
                        try {
                            return Files.readString(p).contains(needle);
                        } catch (IOException | java.io.UncheckedIOException binary) {
                            return false;
                        }
                    })
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
        assertThat(holders).containsExactly(Repositories.GITOPS_REPOSITORY_FILE);
    }

    @Test
    void everyApplicationAndProjectTakesTheRepositoryFromThatPlace() {
        String url = Repositories.url(root).orElseThrow();
        List<KubeObject> all = Stream.concat(apps.stream(), rootApp.stream()).toList();
        assertThat(all.stream().filter(o -> o.is("Application"))).hasSize(13).allSatisfy(a -> {
            assertThat(Json.string(a.spec(), "source", "repoURL")).contains(url);
            // prod runs a release: its own pinned commit (prodRunsAPinnedReleaseAndDevFollowsTheBranch)
            if (!a.name().equals("users-api-prod")) {
                assertThat(Json.string(a.spec(), "source", "targetRevision")).contains("main");
            }
        });
        assertThat(all.stream().filter(o -> o.is("AppProject") && !o.name().equals("default")))
                .extracting(p -> Json.strings(p.spec(), "sourceRepos"))
                .allSatisfy(repos -> assertThat(repos).containsExactly(url));
    }

    @Test
    void thePlatformSyncsBeforeTheServiceAndTheProjectsBeforeAll() {
        Map<String, Integer> waves = apps.stream()
                .filter(o -> o.is("Application"))
                .collect(Collectors.toMap(KubeObject::name, GitopsTreeTest::wave));
        int projects = apps.stream()
                .filter(o -> o.is("AppProject"))
                .mapToInt(GitopsTreeTest::wave)
                .max()
                .orElseThrow();

        assertThat(waves)
                .containsOnlyKeys(
                        "argocd",
                        "sealed-secrets",
                        "metrics-server",
                        "cnpg",
                        "monitoring",
                        "users-api-dev",
                        "users-api-prod",
                        "gateway-api",
                        "envoy-gateway",
                        "gateway",
                        "policy-controller",
                        "image-policy");
        // The edge and admission control: each controller before what it reads, both before the service.
        assertThat(waves.get("argocd")).isLessThan(waves.get("envoy-gateway"));
        assertThat(waves.get("argocd")).isLessThan(waves.get("policy-controller"));
        assertThat(waves.get("envoy-gateway")).isLessThan(waves.get("gateway"));
        assertThat(waves.get("gateway-api")).isLessThan(waves.get("gateway"));
        assertThat(waves.get("policy-controller")).isLessThan(waves.get("image-policy"));
        assertThat(waves.get("gateway")).isLessThan(waves.get("users-api-dev"));
        assertThat(waves.get("image-policy"))
                .isLessThan(waves.get("users-api-dev"))
                .isLessThan(waves.get("users-api-prod"));
        assertThat(projects).isLessThan(waves.get("argocd"));
        assertThat(waves.get("argocd")).isLessThan(waves.get("sealed-secrets"));
        assertThat(waves.get("sealed-secrets")).isLessThan(waves.get("monitoring"));
        // The operator's CRDs and webhooks before the overlays that declare a Cluster.
        assertThat(waves.get("argocd")).isLessThan(waves.get("cnpg"));
        assertThat(waves.get("cnpg")).isLessThan(waves.get("users-api-dev")).isLessThan(waves.get("users-api-prod"));
        assertThat(waves.get("monitoring"))
                .isLessThan(waves.get("users-api-dev"))
                .isLessThan(waves.get("users-api-prod"));
        // The autoscalers of users-api are healthy only once the metrics API answers.
        assertThat(waves.get("metrics-server"))
                .isGreaterThan(waves.get("argocd"))
                .isLessThan(waves.get("users-api-dev"));
    }

    @Test
    void argoCdManagesItselfWithServerSideApply() {
        KubeObject argocd = application("argocd");
        assertThat(Json.string(argocd.spec(), "source", "path")).contains("gitops/argocd");
        assertThat(Json.strings(argocd.spec(), "syncPolicy", "syncOptions")).contains("ServerSideApply=true");
        assertThat(Json.string(argocd.spec(), "project")).contains("platform");
    }

    @Test
    void devSyncsAutomaticallyWithPruneAndSelfHealAndProdFromItsOwnOverlay() {
        KubeObject dev = application("users-api-dev");
        KubeObject prod = application("users-api-prod");
        for (KubeObject app : List.of(dev, prod)) {
            assertThat(Json.bool(app.spec(), "syncPolicy", "automated", "prune"))
                    .contains(true);
            assertThat(Json.bool(app.spec(), "syncPolicy", "automated", "selfHeal"))
                    .contains(true);
        }
        assertThat(Json.string(dev.spec(), "project")).contains("users-api");
        assertThat(Json.string(prod.spec(), "project")).contains("users-api-prod");
        assertThat(Json.string(dev.spec(), "source", "path")).contains("overlays/dev");
        assertThat(Json.string(prod.spec(), "source", "path")).contains("overlays/prod");
        assertThat(Json.string(dev.spec(), "destination", "namespace")).contains("users-dev");
        assertThat(Json.string(prod.spec(), "destination", "namespace")).contains("users-prod");
    }

    @Test
    void theRootAppOwnsTheAppsFolderThroughItsOwnNarrowProject() {
        KubeObject rootApplication = application("root");
        assertThat(Json.string(rootApplication.spec(), "source", "path")).contains("gitops/apps");
        assertThat(Json.string(rootApplication.spec(), "project")).contains("root");
        assertThat(rootApp.stream()
                        .filter(o -> o.is("AppProject"))
                        .map(p -> new AppProject(p).kinds("namespaceResourceWhitelist")))
                .singleElement()
                .satisfies(kinds -> assertThat(kinds)
                        .map(AppProject.KindRule::toString)
                        .containsExactlyInAnyOrder("argoproj.io/Application", "argoproj.io/AppProject"));
    }

    @Test
    void argoCdIsPinnedToAnExact3xReleaseAndTracksByAnnotation() throws IOException {
        RemoteUpstream argocd = RemoteUpstream.read(root.resolve("gitops/argocd/kustomization.yaml"));
        assertThat(argocd.problems()).isEmpty();
        assertThat(argocd.version()).matches("v3\\.\\d+\\.\\d+");
        assertThat(argocd.source())
                .startsWith("https://raw.githubusercontent.com/argoproj/argo-cd/" + argocd.version() + "/");

        JsonElement cm = YamlDocuments.parse(Files.readString(root.resolve("gitops/argocd/argocd-cm.yaml")))
                .get(0);
        assertThat(Json.string(cm, "data", "application.resourceTrackingMethod"))
                .contains("annotation");
    }

    /** Argo CD runs health checks with gopher-lua (Lua 5.1); the script uses nothing that 5.1 and 5.4 treat apart. */
    @Test
    void theApplicationHealthCheckMakesAWaveWaitForItsChildApplications() throws Exception {
        JsonElement cm = YamlDocuments.parse(Files.readString(root.resolve("gitops/argocd/argocd-cm.yaml")))
                .get(0);
        String script = Json.string(cm, "data", "resource.customizations.health.argoproj.io_Application")
                .orElseThrow();
        Path lua = lua();

        assertThat(health(lua, script, "{}")).isEqualTo("Progressing|waiting for the first health assessment");
        assertThat(health(lua, script, "{status = {sync = {status = 'Synced'}}}"))
                .startsWith("Progressing|");
        assertThat(health(lua, script, "{status = {health = {status = 'Healthy'}}}"))
                .isEqualTo("Healthy|");
        assertThat(health(lua, script, "{status = {health = {status = 'Degraded', message = 'pod crashed'}}}"))
                .isEqualTo("Degraded|pod crashed");
    }

    private static Path lua() {
        for (String dir : Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator)) {
            for (String name : List.of("lua5.4", "lua5.3", "lua5.1", "lua")) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError(
                "lua not found on PATH: the Application health check is Lua; install it (Debian: apt-get install lua5.4)");
    }

    private static String health(Path lua, String script, String obj) throws Exception {
        Path harness = Files.createTempFile("health-", ".lua");
        try {
            Files.writeString(
                    harness,
                    "obj = " + obj + "\nlocal check = assert(load(" + luaString(script) + "))\n"
                            + "local hs = check()\nio.write(hs.status .. '|' .. hs.message)\n");
            Process p = new ProcessBuilder(lua.toString(), harness.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("lua: %s", out).isZero();
            return out;
        } finally {
            Files.deleteIfExists(harness);
        }
    }

    private static String luaString(String text) {
        return "[==[" + text + "]==]";
    }

    // --- the real projects are really checked: a copy of the repository with one grant taken away ----------------

    @TempDir
    Path copy;

    private List<String> gitopsFindingsWithout(String projectFile, String grant) throws IOException {
        copyWithProdReleased(copy);
        Path project = copy.resolve(projectFile);
        String text = Files.readString(project);
        assertThat(text).contains(grant);
        Files.writeString(project, text.replace(grant, ""));
        return new Policy(copy, KustomizeRenderer.shared())
                .check(List.of(copy.resolve("gitops/apps/kustomization.yaml"))).findings().stream()
                        .filter(f -> f.rule() == Rule.GITOPS)
                        .map(Finding::toString)
                        .toList();
    }

    @Test
    void theUsersApiProjectsNeedEveryKindTheirOverlayRenders() throws IOException {
        assertThat(gitopsFindingsWithout(
                        "gitops/apps/projects/users-api.yaml",
                        "    - group: autoscaling\n      kind: HorizontalPodAutoscaler\n"))
                .anySatisfy(
                        f -> assertThat(f)
                                .contains(
                                        "Application argocd/users-api-dev: spec.source.path: overlays/dev renders"
                                                + " autoscaling/HorizontalPodAutoscaler users-dev/users-api, which AppProject users-api does not allow"));
    }

    @Test
    void theProdProjectNeedsTheBackupScheduleOnlyProdRenders() throws IOException {
        assertThat(gitopsFindingsWithout(
                        "gitops/apps/prod/project.yaml",
                        "    - group: postgresql.cnpg.io\n      kind: ScheduledBackup\n"))
                .anySatisfy(f -> assertThat(f)
                        .contains(
                                "Application argocd/users-api-prod: spec.source.path: overlays/prod renders"
                                        + " postgresql.cnpg.io/ScheduledBackup users-prod/",
                                "which AppProject users-api-prod does not allow"));
    }

    @Test
    void thePlatformProjectNeedsTheKindsOfTheUpstreamManifestsEvenOffline() throws IOException {
        assertThat(gitopsFindingsWithout(
                        "gitops/apps/projects/platform.yaml",
                        "    - group: apiextensions.k8s.io\n      kind: CustomResourceDefinition\n"))
                .anySatisfy(f -> assertThat(f)
                        .contains("Application argocd/argocd: spec.source.path: gitops/argocd renders"
                                + " apiextensions.k8s.io/CustomResourceDefinition"))
                .anySatisfy(f -> assertThat(f)
                        .contains("Application argocd/sealed-secrets: spec.source.path: gitops/sealed-secrets renders"
                                + " apiextensions.k8s.io/CustomResourceDefinition"));
    }

    @Test
    void theRemoteOnlyFoldersAreMarkedAndEveryOtherGitopsFolderRendersOffline() {
        Set<String> marked = Kustomizations.discover(root, List.of("gitops")).stream()
                .filter(f -> RemoteUpstream.marker(f).isPresent())
                .map(f -> root.relativize(f).toString())
                .collect(Collectors.toSet());
        assertThat(marked)
                .containsExactlyInAnyOrder(
                        "gitops/argocd/kustomization.yaml",
                        "gitops/sealed-secrets/kustomization.yaml",
                        "gitops/metrics-server/kustomization.yaml",
                        "gitops/cnpg/kustomization.yaml",
                        "gitops/envoy-gateway/kustomization.yaml",
                        "gitops/gateway-api/kustomization.yaml",
                        "gitops/policy-controller/kustomization.yaml");
    }

    /** A fork changes gitops/repository only, and its own CI identity is the one the admission policy requires. */
    @Test
    void theAdmittedSignerFollowsTheRepositoryOfGitopsRepository(@TempDir Path dir) throws IOException {
        Path root = TestRepository.root();
        for (String folder : List.of("gitops/repository", "gitops/image-policy")) {
            Path target = Files.createDirectories(dir.resolve(folder));
            try (Stream<Path> files = Files.list(root.resolve(folder))) {
                for (Path f : files.toList()) {
                    Files.copy(f, target.resolve(f.getFileName().toString()));
                }
            }
        }
        Path repositoryFile = dir.resolve("gitops/repository/repository.yaml");
        Files.writeString(
                repositoryFile,
                Files.readString(repositoryFile)
                        .replaceFirst("url: \\S+", "url: https://github.com/Fork-Owner/users-api-fork.git"));
        KustomizeRenderer.Outcome outcome = KustomizeRenderer.shared().render(dir.resolve("gitops/image-policy"));
        assertThat(outcome.ok()).as(outcome.error()).isTrue();
        KubeObject policy = YamlDocuments.parse(outcome.yaml()).stream()
                .map(e -> new KubeObject(e.getAsJsonObject()))
                .filter(o -> o.name().equals("users-api-signed-by-ci"))
                .findFirst()
                .orElseThrow();
        assertThat(Json.objects(policy.spec(), "authorities").getFirst()).satisfies(a -> {
            JsonObject identity = Json.objects(Json.object(a, "keyless").orElseThrow(), "identities")
                    .getFirst();
            assertThat(Json.string(identity, "subject"))
                    .contains("https://github.com/Fork-Owner/users-api-fork/.github/workflows/ci.yml@refs/heads/main");
            assertThat(Json.string(identity, "issuer")).contains("https://token.actions.githubusercontent.com");
        });
        // The same identity as `cosign verify` in ci.yml: this repository's ci.yml at the ref it signs on, which is
        // main only, and GitHub's OIDC issuer.
        String ci = Files.readString(root.resolve(".github/workflows/ci.yml"));
        assertThat(ci)
                .contains(
                        "IDENTITY: ${{ github.server_url }}/${{ github.repository }}/.github/workflows/ci.yml@${{ github.ref }}")
                .contains("if: github.event_name == 'push' && github.ref == 'refs/heads/main'")
                .contains("--certificate-oidc-issuer https://token.actions.githubusercontent.com");
    }
}
