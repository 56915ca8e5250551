package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** scripts/preview.sh: its arguments, and that it prints what kustomize renders. */
class PreviewScriptTest {

    private record Run(int exit, String out, String err) {}

    private static Run preview(String... args) throws IOException, InterruptedException {
        Path root = TestRepository.root();
        List<String> argv = new ArrayList<>(
                List.of("bash", root.resolve("scripts/preview.sh").toString()));
        argv.addAll(List.of(args));
        // An unreachable kubeconfig: the test never talks to a real cluster, whatever the machine has configured.
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(root.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment()
                .put(
                        "KUBECONFIG",
                        root.resolve("policy/src/test/resources/unreachable-kubeconfig.yaml")
                                .toString());
        Process process = builder.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("preview.sh finished")
                .isTrue();
        return new Run(process.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "staging", "../base", "--verbose", "dev prod", "--diff nowhere", "--diff dev prod"})
    void badArgumentsPrintUsageAndExit2(String args) throws Exception {
        Run run = preview(args.isEmpty() ? new String[0] : args.split(" "));

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("usage: scripts/preview.sh ENV").contains("environments: dev prod");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void helpPrintsUsageAndSucceeds() throws Exception {
        Run run = preview("--help");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("usage: scripts/preview.sh ENV").contains("--diff");
    }

    @Test
    void anEnvironmentPrintsItsRenderedManifests() throws Exception {
        Run run = preview("prod");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .isEqualTo(KustomizeRenderer.shared()
                        .render(TestRepository.root().resolve("overlays/prod"))
                        .yaml());
    }

    @Test
    void diffShowsDevAgainstProdAndSaysWhenNoClusterIsThere() throws Exception {
        Run run = preview("--diff");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("--- overlays/dev")
                .contains("+++ overlays/prod")
                .contains("-  name: users-dev")
                .contains("+  name: users-prod");
        assertThat(run.err()).contains("no Kubernetes cluster reachable");
    }

    @Test
    void aLiveDiffWithoutAClusterFails() throws Exception {
        Run run = preview("--diff", "dev");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("no Kubernetes cluster reachable").contains("overlays/dev");
    }
}
