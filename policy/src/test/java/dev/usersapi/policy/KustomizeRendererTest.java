package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KustomizeRendererTest {

    @TempDir
    Path bin;

    @Test
    void withoutKubectlItFailsSayingWhatToInstall() {
        assertThatThrownBy(() -> KustomizeRenderer.locate(bin.toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kubectl not found on PATH")
                .hasMessageContaining("install kubectl");
    }

    @Test
    void aKubectlWithAnOldKustomizeIsRejected() throws IOException {
        Path kubectl = bin.resolve("kubectl");
        Files.writeString(kubectl, "#!/bin/sh\necho '{\"kustomizeVersion\": \"v2.0.3\"}'\n");
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> KustomizeRenderer.locate(bin.toString()))
                .hasMessageContaining("too old")
                .hasMessageContaining("v2.0.3");
    }

    @Test
    void theInstalledKubectlRendersAndEachFolderIsRenderedOnce() {
        KustomizeRenderer renderer = KustomizeRenderer.shared();
        Path valid = TestRepository.fixtures().resolve("valid");

        KustomizeRenderer.Outcome first = renderer.render(valid);

        assertThat(first.ok()).as(first.error()).isTrue();
        assertThat(first.yaml()).contains("kind: Deployment");
        assertThat(renderer.render(valid.resolve("../valid"))).isSameAs(first);
    }

    @Test
    void aBrokenKustomizationGivesKustomizesMessageOnOneLine() {
        KustomizeRenderer.Outcome outcome =
                KustomizeRenderer.shared().render(TestRepository.fixtures().resolve("invalid/render-missing-resource"));

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.error())
                .contains("missing.yaml")
                .doesNotContain("\n")
                .doesNotStartWith("E1");
    }
}
