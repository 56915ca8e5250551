package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rule 5 over files: a Secret with data anywhere in the repository fails, unless it is a marked fixture. */
class PlaintextSecretFilesTest {

    private static final String SECRET = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: db
            %s
            data:
              password: aHVudGVyMg==
            """;
    private static final String MARK = "  annotations:\n    policy.usersapi.dev/plaintext-fixture: \"true\"";

    @TempDir
    Path repo;

    @Test
    void aSecretWithDataFailsWhereverItIs() throws IOException {
        write("docs/examples/secret.yaml", SECRET.formatted(""));

        assertThat(PlaintextSecrets.scanFiles(repo))
                .map(Finding::toString)
                .containsExactly(
                        "docs/examples/secret.yaml: Secret db: data: a Secret with data in git is plaintext (base64 is no"
                                + " encryption): seal it, or create it in the cluster and list it in policy.usersapi.dev/cluster-provided-secrets"
                                + " where it is used [plaintext-secret]");
    }

    @Test
    void theFixtureMarkCountsOnlyUnderThePolicyFixtures() throws IOException {
        write("overlays/dev/secret.yaml", SECRET.formatted(MARK));
        write(PolicyConfig.FIXTURE_FOLDER + "x/secret.yaml", SECRET.formatted(MARK));
        write(PolicyConfig.FIXTURE_FOLDER + "y/secret.yml", SECRET.formatted(""));

        assertThat(PlaintextSecrets.scanFiles(repo))
                .map(Finding::file)
                .containsExactlyInAnyOrder("overlays/dev/secret.yaml", PolicyConfig.FIXTURE_FOLDER + "y/secret.yml");
    }

    @Test
    void secretsWithoutDataSealedSecretsAndBuildOutputPass() throws IOException {
        write(
                "base/empty.yaml",
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\ntype: kubernetes.io/service-account-token\n");
        write(
                "base/sealed.yaml",
                "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n"
                        + "  encryptedData:\n    password: AgBy3i4OJSWK\n");
        write("service/target/classes/secret.yaml", SECRET.formatted(""));
        write("notes.yaml", "key: [unclosed\n");

        assertThat(PlaintextSecrets.scanFiles(repo)).isEmpty();
    }

    private void write(String relative, String text) throws IOException {
        Path file = repo.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
