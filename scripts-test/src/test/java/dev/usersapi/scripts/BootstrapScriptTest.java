package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.usersapi.policy.BootstrapSecrets;
import dev.usersapi.policy.Json;
import dev.usersapi.policy.KubeObject;
import dev.usersapi.policy.KustomizeRenderer;
import dev.usersapi.policy.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/bootstrap.sh: what it says when tools are missing, and the plan of a dry run. */
class BootstrapScriptTest {

    /** The service image as base/kustomization.yaml names it (a fork renames it there). */
    private static final String IMAGE = TestRepository.serviceImage();

    private static final String SCRIPT = "scripts/bootstrap.sh";
    private static final Set<String> NO_CLUSTER_TOOLS = Set.of("kind", "k3d", "docker", "podman");

    @TempDir
    Path sandbox;

    @Test
    void withoutKindOrK3dItSaysWhatToInstallAndChangesNothing() throws IOException {
        Path path = ScriptRun.pathWithout(sandbox, NO_CLUSTER_TOOLS);

        ScriptRun run = ScriptRun.run(TestRepository.root(), SCRIPT, Optional.of(path));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        "error: missing tools; install them and run again:",
                        "kind or k3d (https://kind.sigs.k8s.io",
                        "docker (kind and k3d run the cluster's nodes as containers");
        assertThat(run.out()).doesNotContain("==> cluster");
    }

    @Test
    void anExplicitProviderThatIsNotInstalledIsNamed() throws IOException {
        ScriptRun run = ScriptRun.run(
                TestRepository.root(),
                SCRIPT,
                Optional.of(ScriptRun.pathWithout(sandbox, NO_CLUSTER_TOOLS)),
                "--provider",
                "k3d");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("k3d (asked for with --provider)");
    }

    @Test
    void aDryRunPrintsThePlanAndTheRootApplicationEvenWithoutClusterTools() throws IOException {
        ScriptRun run = ScriptRun.run(
                TestRepository.root(),
                SCRIPT,
                Optional.of(ScriptRun.pathWithout(sandbox, NO_CLUSTER_TOOLS)),
                "--dry-run");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "dry run: nothing is created or applied",
                        "missing (a real run stops here):",
                        "kubectl apply --server-side --force-conflicts --field-manager=argocd-controller -k gitops/argocd",
                        "Secret gateway/users-api-tls: a self-signed certificate (openssl) for the Gateway",
                        "   | kind: Application",
                        "   |     path: gitops/apps",
                        "   |     targetRevision: main");
    }

    /** A loaded image is in no registry and signed by no CI: its namespaces leave the admission policy, and only then. */
    @Test
    void aLoadedImageTakesTheServiceNamespacesOutOfAdmission() throws IOException {
        ScriptRun loaded = ScriptRun.run(
                TestRepository.root(),
                SCRIPT,
                "--dry-run",
                "--provider",
                "kind",
                "--image",
                IMAGE + ":e2e",
                "--load-image");
        assertThat(loaded.exit()).as(loaded.err()).isZero();
        assertThat(loaded.out()).contains("policy.sigstore.dev/include", "false", "labelWithoutSelector");
        ScriptRun pinned = ScriptRun.run(
                TestRepository.root(), SCRIPT, "--dry-run", "--provider", "kind", "--image", IMAGE + ":e2e");
        assertThat(pinned.exit()).as(pinned.err()).isZero();
        assertThat(pinned.out()).doesNotContain("policy.sigstore.dev/include");
    }

    /** What Argo CD does with the root app's kustomize.patches: applies them to the render of gitops/apps. */
    @Test
    void theOverridesReachEveryChildApplicationAndProject() throws IOException {
        String sha = "0123456789abcdef0123456789abcdef01234567";
        ScriptRun run = ScriptRun.run(
                TestRepository.root(),
                SCRIPT,
                "--dry-run",
                "--provider",
                "kind",
                "--repo",
                "https://github.com/acme/users-api.git",
                "--revision",
                sha,
                "--image",
                IMAGE + ":e2e");
        assertThat(run.exit()).as(run.err()).isZero();
        List<JsonElement> root = YamlDocuments.parse(String.join(
                "\n",
                run.out()
                        .lines()
                        .filter(l -> l.startsWith("   | "))
                        .map(l -> l.substring(5))
                        .toList()));
        JsonObject rootApp = root.stream()
                .map(JsonElement::getAsJsonObject)
                .filter(o -> new KubeObject(o).is("Application"))
                .findFirst()
                .orElseThrow();
        assertThat(Json.string(rootApp, "spec", "source", "repoURL")).contains("https://github.com/acme/users-api.git");
        assertThat(Json.string(rootApp, "spec", "source", "targetRevision")).contains(sha);

        // Render gitops/apps with those patches, as Argo CD's repo server does.
        Path dir = Files.createDirectories(TestRepository.root()
                .resolve("gitops/.bootstrap-test-" + ProcessHandle.current().pid()));
        try {
            // Argo CD appends kustomize.components after gitops/apps' own (kustomize edit add component), then patches.
            StringBuilder kustomization = new StringBuilder("resources:\n  - ../apps\ncomponents:\n");
            for (JsonElement c : Json.array(rootApp, "spec", "source", "kustomize", "components")) {
                kustomization.append("  - ../apps/").append(c.getAsString()).append('\n');
            }
            kustomization.append("patches:\n");
            for (JsonElement p : Json.array(rootApp, "spec", "source", "kustomize", "patches")) {
                kustomization.append("  - ").append(p.toString()).append('\n');
            }
            Files.writeString(dir.resolve("kustomization.yaml"), kustomization.toString());
            KustomizeRenderer.Outcome outcome = KustomizeRenderer.shared().render(dir);
            assertThat(outcome.ok()).as(outcome.error()).isTrue();
            List<KubeObject> children = new ArrayList<>();
            YamlDocuments.parse(outcome.yaml()).forEach(d -> children.add(new KubeObject(d.getAsJsonObject())));

            KustomizeRenderer.Outcome apps =
                    KustomizeRenderer.shared().render(TestRepository.root().resolve("gitops/apps"));
            long applications = YamlDocuments.parse(apps.yaml()).stream()
                    .filter(d -> new KubeObject(d.getAsJsonObject()).is("Application"))
                    .count();
            assertThat(Json.strings(rootApp, "spec", "source", "kustomize", "components"))
                    .as("a commit under test runs in prod too")
                    .containsExactly("prod");
            assertThat(children.stream().filter(o -> o.is("Application")))
                    .hasSize((int) applications + 1)
                    .allSatisfy(app -> {
                        assertThat(Json.string(app.spec(), "source", "repoURL"))
                                .contains("https://github.com/acme/users-api.git");
                        assertThat(Json.string(app.spec(), "source", "targetRevision"))
                                .contains(sha);
                    });
            assertThat(children.stream()
                            .filter(o -> o.is("Application") && o.name().startsWith("users-api-")))
                    .hasSize(2)
                    .allSatisfy(app -> assertThat(Json.strings(app.spec(), "source", "kustomize", "images"))
                            .containsExactly(IMAGE + "=" + IMAGE + ":e2e"));
            assertThat(children.stream()
                            .filter(o -> o.is("AppProject") && !o.name().equals("default")))
                    .isNotEmpty()
                    .allSatisfy(p -> assertThat(Json.strings(p.spec(), "sourceRepos"))
                            .containsExactly("https://github.com/acme/users-api.git"));
        } finally {
            Files.deleteIfExists(dir.resolve("kustomization.yaml"));
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void anImageOfAnotherRepositoryIsRefused() {
        ScriptRun run =
                ScriptRun.run(TestRepository.root(), SCRIPT, "--dry-run", "--image", "ghcr.io/not-this-fork/other:1");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .contains("--image ghcr.io/not-this-fork/other:1 is not of " + IMAGE + ", the image the overlays pin");
    }

    /** --image replaces the one image both overlays deploy; when they deploy two, it cannot tell which. */
    @Test
    void overlaysDeployingDifferentImagesStopAnImageOverride(@TempDir Path copy) throws IOException {
        ScriptRun.copyOfRepository(copy);
        Path prod = copy.resolve("overlays/prod/kustomization.yaml");
        String text = Files.readString(prod);
        String renamed = text.replaceFirst(
                "(?m)^(\\s+- name: " + IMAGE.replace(".", "\\.") + ")$", "$1\n    newName: ghcr.io/acme/other");
        assertThat(renamed)
                .as("overlays/prod has an images entry for the service")
                .isNotEqualTo(text);
        Files.writeString(prod, renamed);

        ScriptRun run = ScriptRun.run(copy, SCRIPT, "--dry-run", "--provider", "kind", "--image", IMAGE + ":e2e");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .contains("the overlays deploy different images (ghcr.io/acme/other " + IMAGE + ")")
                .contains("--image cannot tell which to replace");
    }

    /** The policy's first-sync rule trusts gitops/bootstrap-secrets.yaml: bootstrap.sh must create every one of them. */
    @Test
    void theDryRunCreatesEverySecretTheFirstSyncNeeds() {
        ScriptRun run = ScriptRun.run(TestRepository.root(), SCRIPT, "--dry-run", "--provider", "kind");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(BootstrapSecrets.of(TestRepository.root()))
                .isNotEmpty()
                .allSatisfy(secret -> assertThat(run.out()).contains("   - Secret " + secret + "\n"));
    }

    @Test
    void aSecretBootstrapCannotFillStopsIt(@TempDir Path copy) throws IOException {
        ScriptRun.copyOfRepository(copy);
        Files.writeString(
                copy.resolve(BootstrapSecrets.FILE), "secrets:\n  - monitoring/grafana-admin\n  - users-dev/mystery\n");

        ScriptRun run = ScriptRun.run(copy, SCRIPT, "--dry-run", "--provider", "kind");

        assertThat(run.exit()).isNotZero();
        assertThat(run.err())
                .contains(
                        "gitops/bootstrap-secrets.yaml lists users-dev/mystery, which scripts/bootstrap.sh does not know how to create");
    }
}
