package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first-sync rule on the small gitops repository of the fixtures: its Application {@code demo} deploys a pod that
 * needs a cluster-provided Secret; the rule accepts it only when something creates it before the first sync.
 */
class FirstSyncSecretsCheckTest {

    private static final String FINDING =
            "gitops/apps/kustomization.yaml: Application argocd/demo: spec.source.path: app: Deployment demo"
                    + " spec.template.spec.volumes[key].secret.secretName: the pod cannot start without Secret demo/%s, which nothing"
                    + " creates before the first sync";

    @TempDir
    Path repo;

    @BeforeEach
    void copyTheFixtureRepository() throws IOException {
        TestRepository.copyGitopsRepositoryFixture(repo);
    }

    /** A Deployment in the demo app whose pod mounts Secret {@code secret} ({@code optional} as given), declared cluster-provided. */
    private void podNeeds(String secret, boolean optional) throws IOException {
        Files.writeString(
                repo.resolve("app/objects.yaml"),
                """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: demo
                spec:
                  selector:
                    matchLabels: {app: demo}
                  template:
                    metadata:
                      labels: {app: demo}
                      annotations:
                        policy.usersapi.dev/cluster-provided-secrets: %s
                    spec:
                      containers:
                        - name: demo
                          image: registry.example.com/demo:1.0.0
                      volumes:
                        - name: key
                          secret:
                            secretName: %s
                            optional: %s
                """.formatted(optional ? "" : secret, secret, optional),
                StandardOpenOption.APPEND);
    }

    private List<String> findings() {
        Policy.Result result = new Policy(repo, KustomizeRenderer.shared())
                .check(List.of(repo.resolve("gitops/apps/kustomization.yaml")));
        return result.findings().stream()
                .filter(f -> f.rule() == Rule.FIRST_SYNC)
                .map(Finding::toString)
                .toList();
    }

    @Test
    void aSecretNothingCreatesBeforeTheFirstSyncIsAFinding() throws IOException {
        podNeeds("demo-key", false);

        assertThat(findings())
                .singleElement()
                .asString()
                .startsWith(FINDING.formatted("demo-key"))
                .endsWith("[first-sync]");
    }

    @Test
    void anApplicationWithSeveralSourcesIsHeldToTheRuleForEachSource() throws IOException {
        podNeeds("demo-key", false);
        Path applications = repo.resolve("gitops/apps/applications.yaml");
        Files.writeString(
                applications,
                Files.readString(applications)
                        .replace("  source:\n    path: ", "  sources:\n    - path: ")
                        .replace("\n    targetRevision: main", "\n      targetRevision: main"));
        Path repository = repo.resolve("gitops/repository/kustomization.yaml");
        Files.writeString(
                repository, Files.readString(repository).replace("- spec.source.repoURL", "- spec.sources.0.repoURL"));

        assertThat(findings())
                .singleElement()
                .asString()
                .startsWith(FINDING.replace("spec.source.path", "spec.sources[0].path")
                        .formatted("demo-key"));
    }

    @Test
    void aSecretBootstrapCreatesIsFine() throws IOException {
        podNeeds("demo-key", false);
        Files.writeString(repo.resolve(BootstrapSecrets.FILE), "secrets:\n  - demo/demo-key\n");

        assertThat(findings()).isEmpty();
    }

    @Test
    void aSecretBootstrapCreatesInAnotherNamespaceDoesNotCount() throws IOException {
        podNeeds("demo-key", false);
        Files.writeString(repo.resolve(BootstrapSecrets.FILE), "secrets:\n  - other/demo-key\n");

        assertThat(findings()).singleElement().asString().startsWith(FINDING.formatted("demo-key"));
    }

    @Test
    void anOptionalSecretIsFine() throws IOException {
        podNeeds("demo-key", true);

        assertThat(findings()).isEmpty();
    }

    /** A CloudNativePG Cluster demo-db in the demo app, with {@code spec} lines added to its spec. */
    private void databaseCluster(String spec) throws IOException {
        Files.writeString(repo.resolve("app/objects.yaml"), """
                ---
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata:
                  name: demo-db
                spec:
                  instances: 1
                  storage: {size: 1Gi}
                """ + spec, StandardOpenOption.APPEND);
    }

    @Test
    void theApplicationSecretOfADatabaseClusterOfTheSameAppIsFine() throws IOException {
        podNeeds("demo-db-app", false);
        databaseCluster("");

        assertThat(findings()).isEmpty();
    }

    @Test
    void aDatabaseClusterWithItsOwnBootstrapSecretGeneratesNone() throws IOException {
        podNeeds("demo-db-app", false);
        databaseCluster("  bootstrap:\n    initdb:\n      secret: {name: demo-db-owner}\n");

        assertThat(findings()).singleElement().asString().startsWith(FINDING.formatted("demo-db-app"));
    }

    @Test
    void aMalformedBootstrapListIsAnError() throws IOException {
        Files.writeString(repo.resolve(BootstrapSecrets.FILE), "secrets:\n  - just-a-name\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BootstrapSecrets.of(repo))
                .hasMessageContaining("'\"just-a-name\"' is not namespace/name");
    }
}
