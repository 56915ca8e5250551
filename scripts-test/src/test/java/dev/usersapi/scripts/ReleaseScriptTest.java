package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import dev.usersapi.policy.Json;
import dev.usersapi.policy.KubeObject;
import dev.usersapi.policy.KustomizeRenderer;
import dev.usersapi.policy.Repositories;
import dev.usersapi.policy.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release model on a git history made here: prod runs overlays/prod as at a pinned commit, so a change to base/
 * reaches dev at once and prod only when a promotion records a new release (scripts/lib/release.sh, which
 * scripts/promote.sh calls after its policy run); reverting the move rolls prod back.
 */
class ReleaseScriptTest {

    private static final String RELEASE = "scripts/lib/release.sh";
    private static final String PREVIEW = "scripts/preview.sh";
    private static final String DIGEST_A = "sha256:" + "a".repeat(64);
    private static final String DIGEST_B = "sha256:" + "b".repeat(64);

    @TempDir
    Path repo;

    @BeforeEach
    void history() throws IOException {
        ScriptRun.copyOfRepository(repo);
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("commit", "-q", "-m", "initial");
    }

    /** What promote.sh writes before it records: a new digest in overlays/prod (uncommitted). */
    private void pinProdDigest(String digest) throws IOException {
        Path file = repo.resolve("overlays/prod/kustomization.yaml");
        String text = Files.readString(file);
        String pinned = text.replaceFirst("(?m)^(\\s+digest:\\s*)sha256:[0-9a-f]{64}", "$1" + digest);
        assertThat(pinned).as("overlays/prod pins a digest").isNotEqualTo(text);
        Files.writeString(file, pinned);
    }

    private void changeBase() throws IOException {
        Path file = repo.resolve("base/kustomization.yaml");
        Files.writeString(
                file,
                Files.readString(file)
                        .replace("      - USERS_API_MAX_USERS=10000", "      - USERS_API_MAX_USERS=20000"));
        git("commit", "-q", "-am", "base: a larger store");
    }

    private String run(String script, int exit, String... args) {
        ScriptRun run = ScriptRun.run(repo, script, args);
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(exit);
        return exit == 0 ? run.out() : run.err();
    }

    @Test
    void beforeTheFirstPromotionProdRunsNothingAndIsNotDeployed() {
        assertThat(run(RELEASE, 0, "revision", "prod").strip()).isEqualTo("none");
        assertThat(run(RELEASE, 1, "render", "prod")).contains("prod runs no release yet");
        assertThat(applicationNames()).doesNotContain("users-api-prod").contains("users-api-dev");
    }

    @Test
    void devFollowsTheBranch() {
        assertThat(run(RELEASE, 0, "revision", "dev")).isEmpty();
        assertThat(run(RELEASE, 1, "record", "dev")).contains("dev follows the branch");
    }

    @Test
    void recordingAReleasePinsProdToItAndDeploysProd() throws IOException {
        pinProdDigest(DIGEST_A);

        String out = run(RELEASE, 0, "record", "prod");

        String release = git("rev-parse", "HEAD~1").strip();
        assertThat(out).contains("release " + release.substring(0, 12));
        assertThat(run(RELEASE, 0, "revision", "prod").strip()).isEqualTo(release);
        assertThat(git("log", "-1", "--format=%s", release)).startsWith("release: users-api " + DIGEST_A + " for prod");
        assertThat(git("status", "--porcelain"))
                .as("both commits made, nothing left over")
                .isEmpty();
        KubeObject prod = applications().stream()
                .filter(a -> a.name().equals("users-api-prod"))
                .findFirst()
                .orElseThrow();
        assertThat(Json.string(prod.spec(), "source", "targetRevision")).contains(release);
        assertThat(Json.string(prod.spec(), "source", "repoURL"))
                .as("the repository component reaches the prod component")
                .contains(Repositories.url(repo).orElseThrow());
        assertThat(Json.string(prod.spec(), "project")).contains("users-api-prod");
    }

    @Test
    void aBaseChangeReachesDevAtOnceAndProdOnlyWhenPromoted() throws IOException {
        pinProdDigest(DIGEST_A);
        run(RELEASE, 0, "record", "prod");
        String prodBefore = run(PREVIEW, 0, "prod");
        String devBefore = run(PREVIEW, 0, "dev");

        changeBase();

        assertThat(run(PREVIEW, 0, "dev"))
                .as("dev follows the branch")
                .isNotEqualTo(devBefore)
                .contains("USERS_API_MAX_USERS: \"20000\"");
        assertThat(run(PREVIEW, 0, "prod"))
                .as("prod runs its release")
                .isEqualTo(prodBefore)
                .doesNotContain("USERS_API_MAX_USERS: \"20000\"");

        pinProdDigest(DIGEST_B);
        run(RELEASE, 0, "record", "prod");

        assertThat(run(PREVIEW, 0, "prod"))
                .as("the promotion brings the base change and the digest together")
                .contains("USERS_API_MAX_USERS: \"20000\"", "@" + DIGEST_B)
                .doesNotContain("@" + DIGEST_A);
    }

    @Test
    void revertingTheMoveRollsProdBack() throws IOException {
        pinProdDigest(DIGEST_A);
        run(RELEASE, 0, "record", "prod");
        String first = run(RELEASE, 0, "revision", "prod").strip();
        pinProdDigest(DIGEST_B);
        run(RELEASE, 0, "record", "prod");

        git("revert", "--no-edit", "HEAD");

        assertThat(run(RELEASE, 0, "revision", "prod").strip()).isEqualTo(first);
        assertThat(run(PREVIEW, 0, "prod")).contains("@" + DIGEST_A).doesNotContain("@" + DIGEST_B);
    }

    @Test
    void nothingToReleaseIsAnError() {
        assertThat(run(RELEASE, 1, "record", "prod"))
                .contains("overlays/prod/kustomization.yaml has no change to release");
    }

    private List<KubeObject> applications() {
        KustomizeRenderer.Outcome outcome = KustomizeRenderer.shared().render(repo.resolve("gitops/apps"));
        assertThat(outcome.ok()).as(outcome.error()).isTrue();
        List<KubeObject> apps = new ArrayList<>();
        for (JsonElement doc : YamlDocuments.parse(outcome.yaml())) {
            KubeObject o = new KubeObject(doc.getAsJsonObject());
            if (o.is("Application")) {
                apps.add(o);
            }
        }
        return apps;
    }

    private List<String> applicationNames() {
        return applications().stream().map(KubeObject::name).toList();
    }

    private String git(String... args) {
        return TestGit.run(repo, args);
    }
}
