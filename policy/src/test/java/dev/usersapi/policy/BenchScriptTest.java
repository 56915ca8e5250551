package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * scripts/bench.sh's arguments: a bad one stops it with the usage before it builds, starts or measures anything.
 * The benchmark itself is not run here (minutes of load on a shared machine).
 */
class BenchScriptTest {

    private static final String SCRIPT = "scripts/bench.sh";

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--store mysql|--store must be memory or postgres, not 'mysql'",
                "--store|--store needs a value",
                "--store ''|--store needs a value",
                "--duration|--duration needs a value",
                "--duration 0|--duration must be a whole number of seconds, not '0'",
                "--duration 10s|--duration must be a whole number of seconds, not '10s'",
                "--connections|--connections needs a value",
                "--connections 1|--connections must be a number of at least 2",
                "--connections many|--connections must be a number of at least 2",
                "--store postgres --verbose|unknown argument: --verbose",
                "postgres|unknown argument: postgres"
            })
    void badArgumentsPrintUsageAndExit2(String args, String message) {
        ScriptRun run = ScriptRun.run(TestRepository.root(), SCRIPT, split(args));

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.err())
                .contains("error: " + message)
                .contains("Usage: scripts/bench.sh [--store memory|postgres] [--duration SECONDS] [--connections N]");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void helpDescribesBothStoresAndTheReferences() {
        ScriptRun run = ScriptRun.run(TestRepository.root(), SCRIPT, "--help");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Usage: scripts/bench.sh [--store memory|postgres]")
                .contains("--store postgres")
                .contains("pgbench")
                .contains("nginx")
                .doesNotContain("set -euo pipefail");
    }

    /** Splits on spaces; '' stands for an empty argument. */
    private static String[] split(String args) {
        return Arrays.stream(args.split(" ")).map(a -> a.equals("''") ? "" : a).toArray(String[]::new);
    }
}
