package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/lib/pin-is-newer.sh, CI's guard before it pins a build into overlays/dev: on a git history made here,
 * a build that finishes after a newer one must not move dev backwards.
 */
class PinIsNewerScriptTest {

    private static final String SCRIPT = "scripts/lib/pin-is-newer.sh";

    @TempDir
    Path repo;

    private String first;
    private String second;
    private String third;

    /** Three commits of a copy of the repository: first, second, third. */
    @BeforeEach
    void history() throws IOException {
        ScriptRun.copyOfRepository(repo);
        git("init", "-q", "-b", "main");
        git("add", "-A");
        first = commit("first");
        second = commit("second");
        third = commit("third");
    }

    @Test
    void withNoPinByCiYetAnyBuildIsPinned() {
        ScriptRun run = ScriptRun.run(repo, SCRIPT, "dev", second);

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("overlays/dev has no pin by CI yet");
    }

    @Test
    void aNewerBuildIsPinned() throws IOException {
        pinDevFrom(second);

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "dev", third);

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("is newer than overlays/dev's");
    }

    @Test
    void anOlderBuildFinishingLastIsNotPinned() throws IOException {
        pinDevFrom(third);

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "dev", first);

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("is older than overlays/dev's");
    }

    @Test
    void theSameBuildIsNotPinnedTwice() throws IOException {
        pinDevFrom(second);

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "dev", second);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("already runs the build of");
    }

    @Test
    void aBuildOffAnotherBranchIsNotPinned() throws IOException {
        pinDevFrom(third);
        git("checkout", "-q", "-b", "side", first);
        String side = commit("side");
        git("checkout", "-q", "main");

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "dev", side);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("is not a descendant of overlays/dev's");
    }

    @Test
    void aPinOfAnotherEnvironmentDoesNotCount() throws IOException {
        Files.writeString(repo.resolve("overlays/prod/kustomization.yaml"), "# promoted\n", StandardOpenOption.APPEND);
        git("commit", "-q", "-am", "prod: promote\n\nBuilt-From: " + third);

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "dev", second);

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
    }

    /** A commit this repository does not have is refused before anything is compared. */
    @Test
    void anUnknownCommitIsRefused() {
        ScriptRun run = ScriptRun.run(repo, SCRIPT, "dev", "0123456789abcdef0123456789abcdef01234567");

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("'0123456789abcdef0123456789abcdef01234567' is not a commit of this repository");
        assertThat(run.out()).isEmpty();
    }

    /** What CI's pin step commits: a change to overlays/dev with the Built-From trailer. */
    private void pinDevFrom(String built) throws IOException {
        Files.writeString(
                repo.resolve("overlays/dev/kustomization.yaml"), "# pinned " + built + "\n", StandardOpenOption.APPEND);
        git("commit", "-q", "-am", "dev: run users-api sha256:abc\n\nBuilt-From: " + built);
    }

    private String commit(String message) throws IOException {
        Files.writeString(repo.resolve("change.txt"), message + "\n");
        git("add", "change.txt");
        git("commit", "-q", "-m", message);
        return git("rev-parse", "HEAD").strip();
    }

    private String git(String... args) {
        return TestGit.run(repo, args);
    }
}
