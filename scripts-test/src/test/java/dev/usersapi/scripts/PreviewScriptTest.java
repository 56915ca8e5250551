package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.policy.KustomizeRenderer;
import org.junit.jupiter.api.Test;

/** scripts/preview.sh: it prints what kustomize renders, and the diffs. (Its arguments: ScriptArgumentsContractTest.) */
class PreviewScriptTest {

    private static ScriptRun preview(String... args) {
        return ScriptRun.run(TestRepository.root(), "scripts/preview.sh", args);
    }

    @Test
    void anEnvironmentPrintsItsRenderedManifests() {
        ScriptRun run = preview("prod");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .isEqualTo(KustomizeRenderer.shared()
                        .render(TestRepository.root().resolve("overlays/prod"))
                        .yaml());
    }

    @Test
    void diffShowsDevAgainstProdAndSaysWhenNoClusterIsThere() {
        ScriptRun run = preview("--diff");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("--- overlays/dev")
                .contains("+++ overlays/prod")
                .contains("-  name: users-dev")
                .contains("+  name: users-prod");
        assertThat(run.err()).contains("no Kubernetes cluster reachable");
    }

    @Test
    void aLiveDiffWithoutAClusterFails() {
        ScriptRun run = preview("--diff", "dev");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("no Kubernetes cluster reachable").contains("overlays/dev");
    }
}
