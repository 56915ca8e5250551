package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/seal-secrets.sh: a clear stop without kubeseal, and a dry run that really edits a copy. */
class SealSecretsScriptTest {

    private static final String SCRIPT = "scripts/seal-secrets.sh";
    private static final List<String> EDITED = List.of(
            "overlays/dev/kustomization.yaml",
            "monitoring/kustomization.yaml",
            "gitops/apps/projects/users-api.yaml",
            "gitops/apps/projects/platform.yaml");

    @TempDir
    Path sandbox;

    @Test
    void withoutKubesealItStopsBeforeGeneratingAnything() throws IOException {
        Path repo = ScriptRun.copyOfRepository(sandbox.resolve("repo"));
        Map<String, String> before = contents(repo);

        ScriptRun run =
                ScriptRun.run(repo, SCRIPT, Optional.of(ScriptRun.pathWithout(sandbox, Set.of("kubeseal"))), "dev");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("error: kubeseal not found: install the kubeseal of the Sealed Secrets release");
        assertThat(run.out()).doesNotContain("token:");
        assertThat(contents(repo)).isEqualTo(before);
    }

    @Test
    void aDryRunMakesTheEditsOnACopyRendersThemAndWritesNothing() throws IOException {
        Path repo = ScriptRun.copyOfRepository(sandbox.resolve("repo"));
        Map<String, String> before = contents(repo);

        ScriptRun run = ScriptRun.run(
                repo, SCRIPT, Optional.of(ScriptRun.pathWithout(sandbox, Set.of("kubeseal"))), "--dry-run", "dev");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "Secret users-api-tokens in namespace users-dev, key tokens = one '<role> <sha256-hex>' line per role",
                        "kubeseal --format yaml --scope strict --controller-namespace sealed-secrets --controller-name sealed-secrets-controller",
                        "kubeseal: not installed",
                        "+  - sealed-users-api-tokens.yaml",
                        "+  - sealed-grafana-admin.yaml",
                        "+    - group: bitnami.com",
                        "+      kind: SealedSecret",
                        "the edited copy renders: overlays/dev, monitoring, gitops/apps");
        assertThat(contents(repo)).as("a dry run writes nothing").isEqualTo(before);
    }

    @Test
    void aDryRunWithoutGrafanaLeavesMonitoringAlone() {
        ScriptRun run = ScriptRun.run(TestRepository.root(), SCRIPT, "--dry-run", "--no-grafana", "prod");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("namespace users-prod", "the edited copy renders: overlays/prod, gitops/apps")
                .doesNotContain("grafana-admin", "monitoring/kustomization.yaml");
    }

    @Test
    void aDryRunWithTheDatabaseBackupKeyPlansItsSealedSecretInTheOverlay() {
        ScriptRun run =
                ScriptRun.run(TestRepository.root(), SCRIPT, "--dry-run", "--no-grafana", "--db-backup", "prod");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "Secret users-api-db-backup in namespace users-prod, keys ACCESS_KEY_ID and ACCESS_SECRET_KEY",
                        "> overlays/prod/sealed-users-api-db-backup.yaml",
                        "+  - sealed-users-api-db-backup.yaml",
                        "the edited copy renders: overlays/prod, gitops/apps");
    }

    @Test
    void theDatabaseBackupKeyComesFromTheEnvironmentOrNothingIsSealed() throws IOException {
        Path repo = ScriptRun.copyOfRepository(sandbox.resolve("repo"));
        Map<String, String> before = contents(repo);
        Path bin = ScriptRun.pathWithout(sandbox, Set.of("kubeseal"));
        // A kubeseal that must not be reached: the missing key stops the script first.
        Path kubeseal = bin.resolve("kubeseal");
        Files.writeString(kubeseal, "#!/bin/sh\necho 'kubeseal called' >&2\nexit 3\n");
        assertThat(kubeseal.toFile().setExecutable(true)).isTrue();

        ScriptRun run = ScriptRun.run(repo, SCRIPT, Optional.of(bin), "--no-grafana", "--db-backup", "prod");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        "error: --db-backup needs USERS_API_DB_BACKUP_ACCESS_KEY_ID and USERS_API_DB_BACKUP_SECRET_ACCESS_KEY")
                .doesNotContain("kubeseal called");
        assertThat(run.out()).doesNotContain("token:");
        assertThat(contents(repo)).isEqualTo(before);
    }

    @Test
    void alertReceiversComeOnlyFromTheEnvironmentAndAMissingOneIsAUsageError() throws IOException {
        Path repo = ScriptRun.copyOfRepository(sandbox.resolve("repo"));
        Map<String, String> before = contents(repo);

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "--alert-receivers", "--no-grafana", "dev");

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err())
                .contains("error: --alert-receivers needs ALERT_PAGERDUTY_ROUTING_KEY in the environment", "usage:");
        assertThat(contents(repo)).isEqualTo(before);
    }

    @Test
    void aDryRunWithAlertReceiversSealsThemIntoMonitoringAndRendersIt() throws IOException {
        Path repo = ScriptRun.copyOfRepository(sandbox.resolve("repo"));
        Map<String, String> before = contents(repo);

        ScriptRun run = ScriptRun.run(
                repo,
                SCRIPT,
                Optional.of(ScriptRun.pathWithout(sandbox, Set.of("kubeseal"))),
                "--dry-run",
                "--no-grafana",
                "--alert-receivers",
                "prod");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "3. Secret alertmanager-receivers in namespace monitoring, keys pagerduty-routing-key slack-webhook-url"
                                + " deadmansswitch-url, from ALERT_PAGERDUTY_ROUTING_KEY ALERT_CHAT_WEBHOOK_URL ALERT_DEADMANSSWITCH_URL",
                        "> monitoring/sealed-alertmanager-receivers.yaml",
                        "+  - sealed-alertmanager-receivers.yaml",
                        "the edited copy renders: overlays/prod, monitoring, gitops/apps")
                .doesNotContain("grafana-admin");
        assertThat(contents(repo)).as("a dry run writes nothing").isEqualTo(before);
    }

    private static Map<String, String> contents(Path repo) {
        return EDITED.stream().collect(Collectors.toMap(f -> f, f -> {
            try {
                return Files.readString(repo.resolve(f));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }
}
