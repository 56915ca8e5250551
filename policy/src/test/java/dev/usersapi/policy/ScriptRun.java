package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of scripts/ that the policy's tests read from (scripts/lib/image-name.sh), and copies the parts of the
 * repository a test edits. The scripts' own tests live in the scripts-test module.
 */
record ScriptRun(int exit, String out, String err) {

    static ScriptRun run(Path repository, String script, String... args) {
        List<String> argv =
                new ArrayList<>(List.of("bash", repository.resolve(script).toString()));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(repository.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process process = builder.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            assertThat(process.waitFor(120, TimeUnit.SECONDS))
                    .as("%s finished", script)
                    .isTrue();
            return new ScriptRun(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A copy of the parts of the repository the policy's tests read and edit. */
    static Path copyOfRepository(Path target) throws IOException {
        return TestRepository.copy(target, "scripts", "base", "overlays", "charts", "monitoring", "gitops");
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
