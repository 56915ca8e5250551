package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** git in a repository a test made, as a fixed test identity, failing the test when git fails. */
final class TestGit {

    private TestGit() {}

    /** Runs {@code git args} in {@code repo} and returns its output (stdout and stderr). */
    static String run(Path repo, String... args) {
        List<String> argv = new ArrayList<>(List.of(
                "git", "-c", "user.name=test", "-c", "user.email=test@localhost", "-c", "commit.gpgsign=false"));
        argv.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(argv)
                    .directory(repo.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor())
                    .as("git %s: %s", String.join(" ", args), out)
                    .isZero();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
