package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.policy.Kustomizations;
import dev.usersapi.policy.KustomizeRenderer;
import dev.usersapi.policy.Policy;
import dev.usersapi.policy.Repositories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/fork.sh on a copy of the repository: the image name and the repository URL change in their one place each
 * and everywhere that pins them, nothing else names the old ones, and every rule still holds. (scripts/test.sh's
 * fork step runs the whole policy suite on such a copy.)
 */
class ForkScriptTest {

    private static final String SCRIPT = "scripts/fork.sh";
    private static final String IMAGE = "ghcr.io/acme/people-api";
    private static final String REPO = "https://github.com/acme/people-api.git";

    @TempDir
    Path repo;

    @Test
    void aForkRenamesTheImageAndTheRepositoryAndEveryRuleStillHolds() throws IOException {
        ScriptRun.copyOfRepository(repo);
        String oldImage = TestRepository.serviceImage();
        String oldRepo = Repositories.url(repo).orElseThrow();

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "--image", IMAGE, "--repo", REPO);

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("forked: image " + oldImage + " -> " + IMAGE);
        assertThat(ScriptRun.run(repo, "scripts/lib/image-name.sh").out().strip())
                .isEqualTo(IMAGE);
        assertThat(Repositories.url(repo)).contains(REPO);
        assertThat(filesNaming(oldImage)).as("files still naming the old image").isEmpty();
        assertThat(filesNaming(oldRepo.replaceFirst("\\.git$", "")))
                .as("files still naming the old repository")
                .isEmpty();

        Policy.Result result = new Policy(repo, KustomizeRenderer.shared())
                .check(Kustomizations.discover(repo, Kustomizations.REPOSITORY_ROOTS));
        assertThat(result.findings()).as(result.findings().toString()).isEmpty();
        assertThat(TestRepository.deployedImage(TestRepository.overlay(repo, "dev")))
                .startsWith(IMAGE + ":");
        assertThat(TestRepository.deployedImage(TestRepository.overlay(repo, "prod")))
                .startsWith(IMAGE + "@sha256:");
    }

    @Test
    void aDryRunShowsTheChangesAndWritesNothing() throws IOException {
        ScriptRun.copyOfRepository(repo);
        String before = Files.readString(repo.resolve("base/kustomization.yaml"));

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "--dry-run", "--image", IMAGE, "--repo", REPO);

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("+    newName: " + IMAGE, "+  url: " + REPO, "dry run: nothing written");
        assertThat(Files.readString(repo.resolve("base/kustomization.yaml"))).isEqualTo(before);
    }

    private List<String> filesNaming(String text) throws IOException {
        try (Stream<Path> files = Files.walk(repo)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json"))
                    .filter(p -> !p.toString().contains("/fixtures/"))
                    .filter(p -> {
                        try {
                            return Files.readString(p).contains(text);
                        } catch (IOException | java.io.UncheckedIOException binary) {
                            return false;
                        }
                    })
                    .map(p -> repo.relativize(p).toString())
                    .toList();
        }
    }
}
