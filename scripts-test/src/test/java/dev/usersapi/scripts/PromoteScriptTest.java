package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.policy.Kustomizations;
import dev.usersapi.policy.KustomizeRenderer;
import dev.usersapi.policy.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/promote.sh on a copy of the repository: its dry runs (the edit, the renders, the diff). */
class PromoteScriptTest {

    /** The service image as base/kustomization.yaml names it (a fork renames it there). */
    private static final String IMAGE = TestRepository.serviceImage();

    private static final String SCRIPT = "scripts/promote.sh";
    private static final String DEV_DIGEST = "sha256:" + "1".repeat(64);
    private static final String NEW_DIGEST = "sha256:" + "2".repeat(64);

    @TempDir
    Path repo;

    private void devPinsADigest() throws IOException {
        ScriptRun.copyOfRepository(repo);
        Path dev = repo.resolve("overlays/dev/kustomization.yaml");
        String text = Files.readString(dev);
        String pinned = text.replaceFirst("(?m)^(\\s+)newTag: \\S+$", "$1digest: " + DEV_DIGEST);
        assertThat(pinned)
                .as("overlays/dev pins its image by tag to start with")
                .isNotEqualTo(text);
        Files.writeString(dev, pinned);
        // ... and so does the chart's values-dev.yaml, as scripts/promote.sh leaves them both.
        Path values = repo.resolve("charts/users-api/values-dev.yaml");
        String valuesText = Files.readString(values);
        String valuesPinned = valuesText.replaceFirst("(?m)^  tag: \\S+$", "  digest: " + DEV_DIGEST);
        assertThat(valuesPinned)
                .as("values-dev.yaml pins its image by tag to start with")
                .isNotEqualTo(valuesText);
        Files.writeString(values, valuesPinned);
    }

    @Test
    void aDryRunCopiesDevsDigestIntoProdAndShowsBothDiffsWithoutWriting() throws IOException {
        devPinsADigest();
        String prodBefore = Files.readString(repo.resolve("overlays/prod/kustomization.yaml"));

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "--dry-run", "dev", "prod");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "promote " + IMAGE + "@" + DEV_DIGEST + " from overlays/dev to overlays/prod",
                        "### overlays/prod/kustomization.yaml",
                        "+    digest: " + DEV_DIGEST,
                        "### rendered overlays/prod",
                        "+        image: " + IMAGE + "@" + DEV_DIGEST,
                        "dry run: nothing written");
        assertThat(Files.readString(repo.resolve("overlays/prod/kustomization.yaml")))
                .isEqualTo(prodBefore);
    }

    /** CI pins every green build into dev; the pinned repository must still pass every rule and the overlays contract. */
    @Test
    void ciPinningADigestIntoDevKeepsThePolicyAndTheOverlaysContract() throws IOException {
        devPinsADigest();

        Policy.Result result = new Policy(repo, KustomizeRenderer.shared())
                .check(Kustomizations.discover(repo, Kustomizations.REPOSITORY_ROOTS));

        assertThat(result.findings()).as(result.findings().toString()).isEmpty();
        assertThat(TestRepository.deployedImage(TestRepository.overlay(repo, "dev")))
                .matches(IMAGE.replace(".", "\\.") + "(:\\d+\\.\\d+\\.\\d+|@sha256:[0-9a-f]{64})")
                .endsWith("@" + DEV_DIGEST);
    }

    @Test
    void aDigestFromCiReplacesDevsTag() throws IOException {
        ScriptRun.copyOfRepository(repo);

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "--dry-run", IMAGE + "@" + NEW_DIGEST, "dev");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .containsPattern("-    newTag: \\S+")
                .contains("+    digest: " + NEW_DIGEST, "+        image: " + IMAGE + "@" + NEW_DIGEST);
    }

    /** The chart's values file of the environment gets the same digest in the same change (its equivalence test needs it). */
    @Test
    void theChartsValuesFileGetsTheSameDigest() throws IOException {
        ScriptRun.copyOfRepository(repo);

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "--dry-run", IMAGE + "@" + NEW_DIGEST, "dev");

        assertThat(run.exit()).as(run.err()).isZero();
        String valuesDiff = run.out().substring(run.out().indexOf("### charts/users-api/values-dev.yaml"));
        assertThat(valuesDiff).containsPattern("(?m)^-  tag: \\S+$").contains("+  digest: " + NEW_DIGEST + "\n");
    }

    @Test
    void aChartThatDeploysAnotherImageIsRefused() throws IOException {
        ScriptRun.copyOfRepository(repo);
        Path values = repo.resolve("charts/users-api/values-prod.yaml");
        Files.writeString(
                values,
                Files.readString(values)
                        .replace("repository: " + IMAGE, "repository: ghcr.io/not-this-fork/other-api"));

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "--dry-run", IMAGE + "@" + NEW_DIGEST, "prod");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        "image.repository is ghcr.io/not-this-fork/other-api, the overlay pins " + IMAGE,
                        "cannot pin the digest in charts/users-api/values-prod.yaml");
    }

    @Test
    void anEnvironmentThatRunsATagHasNothingToPromote() throws IOException {
        ScriptRun.copyOfRepository(repo);

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "--dry-run", "dev", "prod");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .contains("error: overlays/dev runs " + IMAGE + ":", "not a digest: only digests are promoted");
    }

    @Test
    void anImageTheTargetDoesNotPinIsRefused() throws IOException {
        ScriptRun.copyOfRepository(repo);

        ScriptRun run =
                ScriptRun.run(repo, SCRIPT, "--dry-run", "ghcr.io/not-this-fork/other-api@" + NEW_DIGEST, "prod");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("pins " + IMAGE + ", not ghcr.io/not-this-fork/other-api");
    }

    @Test
    void promotingWhatTheTargetAlreadyRunsChangesNothing() throws IOException {
        devPinsADigest();

        ScriptRun run = ScriptRun.run(repo, SCRIPT, "--dry-run", IMAGE + "@" + DEV_DIGEST, "dev");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("overlays/dev already runs " + IMAGE + "@" + DEV_DIGEST + "; nothing to do");
    }
}
