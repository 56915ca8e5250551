package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The real manifests: every kustomization under base/, overlays/, monitoring/ and gitops/ renders and passes every
 * rule (one test per kustomization, so a folder under construction fails alone), and no file holds a plaintext Secret.
 */
class RepositoryManifestsTest {

    private static Path root;
    private static List<Path> kustomizations;
    private static Policy.Result result;

    @BeforeAll
    static void renderAndCheckEverything() {
        root = TestRepository.root();
        kustomizations = Kustomizations.discover(root, Kustomizations.REPOSITORY_ROOTS);
        result = TestRepository.policy().check(kustomizations);
    }

    @Test
    void theBaseAndBothEnvironmentsAreAmongTheChecked() {
        assertThat(kustomizations)
                .map(p -> root.relativize(p).toString())
                .contains(
                        "base/kustomization.yaml",
                        "overlays/dev/kustomization.yaml",
                        "overlays/prod/kustomization.yaml");
    }

    @Test
    void everyFindingNamesADiscoveredKustomization() {
        // The per-folder tests below select findings by file: one on any other path would pass unseen.
        List<String> files =
                kustomizations.stream().map(p -> root.relativize(p).toString()).toList();
        assertThat(result.findings())
                .allSatisfy(f -> assertThat(files).as("the file of %s", f).contains(f.file()));
    }

    @TestFactory
    Stream<DynamicTest> everyKustomizationPassesEveryRule() {
        return kustomizations.stream()
                .map(file -> root.relativize(file).toString())
                .map(file -> DynamicTest.dynamicTest(file, () -> {
                    List<Finding> findings = result.findings().stream()
                            .filter(f -> f.file().equals(file))
                            .toList();
                    assertThat(findings)
                            .as(
                                    "%s:%n%s",
                                    file,
                                    findings.stream().map(Finding::toString).collect(Collectors.joining("\n")))
                            .isEmpty();
                }));
    }

    @Test
    void noFileOfTheRepositoryHoldsAPlaintextSecret() {
        List<Finding> findings = PlaintextSecrets.scanFiles(root);
        assertThat(findings)
                .as(findings.stream().map(Finding::toString).collect(Collectors.joining("\n")))
                .isEmpty();
    }
}
