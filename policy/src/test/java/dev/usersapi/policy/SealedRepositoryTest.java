package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository as scripts/seal-secrets.sh leaves it (SealedSecrets as kubeseal writes them, listed in their
 * kustomizations, SealedSecret granted to the projects) passes the policy: the SealedSecret schema, the Secret
 * references, and the gitops rule's least privilege, in which the new grant is now used.
 */
class SealedRepositoryTest {

    @TempDir
    Path repo;

    private void write(String file, String text) throws IOException {
        Files.writeString(repo.resolve(file), text);
    }

    private void insertAfter(String file, String anchor, String lines) throws IOException {
        String text = Files.readString(repo.resolve(file));
        assertThat(text).contains(anchor);
        Files.writeString(
                repo.resolve(file),
                text.replaceFirst(
                        java.util.regex.Pattern.quote(anchor),
                        java.util.regex.Matcher.quoteReplacement(anchor + lines)));
    }

    private static String sealed(String name, String namespace, String... keys) {
        StringBuilder s = new StringBuilder("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: "
                + name + "\n  namespace: " + namespace + "\nspec:\n  encryptedData:\n");
        for (String key : keys) {
            s.append("    ").append(key).append(": AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq\n");
        }
        return s.append("  template:\n    metadata:\n      name: ")
                .append(name)
                .append("\n      namespace: ")
                .append(namespace)
                .append("\n    type: Opaque\n")
                .toString();
    }

    @Test
    void aSealedRepositoryPassesThePolicy() throws IOException {
        ScriptRun.copyOfRepository(repo);
        write("overlays/dev/sealed-users-api-tokens.yaml", sealed("users-api-tokens", "users-dev", "tokens"));
        write(
                "monitoring/sealed-grafana-admin.yaml",
                sealed("grafana-admin", "monitoring", "admin-user", "admin-password"));
        write(
                "monitoring/sealed-alertmanager-receivers.yaml",
                sealed(
                        "alertmanager-receivers",
                        "monitoring",
                        "pagerduty-routing-key",
                        "slack-webhook-url",
                        "deadmansswitch-url"));
        insertAfter("overlays/dev/kustomization.yaml", "  - ../../base\n", "  - sealed-users-api-tokens.yaml\n");
        insertAfter(
                "monitoring/kustomization.yaml",
                "resources:\n",
                "  - sealed-grafana-admin.yaml\n  - sealed-alertmanager-receivers.yaml\n");
        String grant = "    - group: bitnami.com\n      kind: SealedSecret\n";
        insertAfter("gitops/apps/projects/users-api.yaml", "  namespaceResourceWhitelist:\n", grant);
        insertAfter("gitops/apps/projects/platform.yaml", "  namespaceResourceWhitelist:\n", grant);

        Policy.Result result = new Policy(repo, KustomizeRenderer.shared())
                .check(Kustomizations.discover(repo, Kustomizations.REPOSITORY_ROOTS));

        assertThat(result.findings()).map(Finding::toString).isEmpty();
        assertThat(result.renders())
                .flatMap(Render::objects)
                .filteredOn(o -> o.is("SealedSecret"))
                .hasSize(3);
    }

    @Test
    void aGrantWithoutASealedSecretIsUnusedAndFound() throws IOException {
        ScriptRun.copyOfRepository(repo);
        insertAfter(
                "gitops/apps/projects/users-api.yaml",
                "  namespaceResourceWhitelist:\n",
                "    - group: bitnami.com\n      kind: SealedSecret\n");

        List<String> findings = new Policy(repo, KustomizeRenderer.shared())
                .check(List.of(repo.resolve("gitops/apps/kustomization.yaml"))).findings().stream()
                        .map(Finding::toString)
                        .toList();

        assertThat(findings)
                .contains("gitops/apps/kustomization.yaml: AppProject argocd/users-api: "
                        + "spec.namespaceResourceWhitelist[bitnami.com/SealedSecret]: grants a kind that none of its Applications renders"
                        + " (least privilege: remove it) [gitops]");
    }
}
