package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KustomizationsTest {

    @TempDir
    Path repo;

    @Test
    void findsEveryKustomizationUnderTheRootsButNotComponentsOrBuildOutput() throws IOException {
        write("base/kustomization.yaml", "resources: []\n");
        write("overlays/dev/kustomization.yml", "resources: [../../base]\n");
        write("monitoring/loki/Kustomization", "resources: []\n");
        write("monitoring/parts/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n");
        write("monitoring/node_modules/x/kustomization.yaml", "resources: []\n");
        write("gitops/target/kustomization.yaml", "resources: []\n");
        write("gitops/.cache/kustomization.yaml", "resources: []\n");
        write("service/kustomization.yaml", "resources: []\n"); // not a manifest root

        List<Path> found = Kustomizations.discover(repo, Kustomizations.REPOSITORY_ROOTS);

        assertThat(found)
                .map(p -> repo.relativize(p).toString())
                .containsExactly(
                        "base/kustomization.yaml", "monitoring/loki/Kustomization", "overlays/dev/kustomization.yml");
    }

    @Test
    void missingRootsAreFine() {
        assertThat(Kustomizations.discover(repo, List.of("gitops"))).isEmpty();
    }

    private void write(String relative, String text) throws IOException {
        Path file = repo.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
