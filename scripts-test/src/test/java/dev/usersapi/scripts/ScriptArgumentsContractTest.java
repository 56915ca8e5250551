package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every script a person runs keeps with its arguments: {@code --help} prints the usage on stdout and
 * succeeds; an unknown option or a bad argument prints what is wrong and the usage on stderr, nothing on stdout,
 * and exits 2 before it does anything. The user-facing scripts are found, not listed, so a new one is held to it.
 */
class ScriptArgumentsContractTest {

    /** Scripts of scripts/lib that other scripts and CI call: no --help, but the same contract for bad arguments. */
    private static final Map<String, String> LIBRARY_USAGE = Map.of(
            "scripts/lib/release.sh", "release.sh record ENV",
            "scripts/lib/pin-is-newer.sh", "usage: scripts/lib/pin-is-newer.sh ENV COMMIT");

    static List<String> userFacingScripts() throws IOException {
        try (Stream<Path> files = Files.list(TestRepository.root().resolve("scripts"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".sh"))
                    .map(p -> "scripts/" + p.getFileName())
                    .sorted()
                    .toList();
        }
    }

    @Test
    void theUserFacingScriptsAreFound() throws IOException {
        assertThat(userFacingScripts())
                .contains(
                        "scripts/bootstrap.sh",
                        "scripts/promote.sh",
                        "scripts/seal-secrets.sh",
                        "scripts/preview.sh",
                        "scripts/fork.sh",
                        "scripts/test.sh")
                .allSatisfy(s -> assertThat(s).doesNotStartWith("scripts/lib/"));
    }

    @ParameterizedTest
    @MethodSource("userFacingScripts")
    void helpPrintsTheUsageOnStdoutAndSucceeds(String script) {
        ScriptRun run = ScriptRun.run(TestRepository.root(), script, "--help");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(usageLine(run.out(), script))
                .as("%s --help names the script in a usage line", script)
                .isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("userFacingScripts")
    void anUnknownOptionPrintsTheUsageOnStderrAndExits2(String script) {
        ScriptRun run = ScriptRun.run(TestRepository.root(), script, "--no-such-option");

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(usageOf(script));
    }

    /** Arguments each script validates itself; '' is an empty argument, an empty message means the usage alone. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "scripts/bench.sh|--store mysql|error: --store must be memory or postgres, not 'mysql'",
                "scripts/bench.sh|--store|error: --store needs a value",
                "scripts/bench.sh|--store ''|error: --store needs a value",
                "scripts/bench.sh|--duration|error: --duration needs a value",
                "scripts/bench.sh|--duration 0|error: --duration must be a whole number of seconds, not '0'",
                "scripts/bench.sh|--duration 10s|error: --duration must be a whole number of seconds, not '10s'",
                "scripts/bench.sh|--connections|error: --connections needs a value",
                "scripts/bench.sh|--connections 1|error: --connections must be a number of at least 2",
                "scripts/bench.sh|--connections many|error: --connections must be a number of at least 2",
                "scripts/bench.sh|--store postgres --verbose|error: unknown argument: --verbose",
                "scripts/bench.sh|postgres|error: unknown argument: postgres",
                "scripts/bench.sh|--rate 5|error: --rate is for --url only",
                "scripts/bench.sh|--writes|error: --writes is for --url only",
                "scripts/bench.sh|--url|error: --url needs a value",
                "scripts/bench.sh|--url users.example.com|error: --url must be an http(s) URL",
                "scripts/bench.sh|--url ftp://users.example.com|error: --url must be an http(s) URL",
                "scripts/bench.sh|--url https://users.example.com/?limit=5|error: --url must be an http(s) URL",
                "scripts/bench.sh|--url https://me@users.example.com|error: --url must be an http(s) URL",
                "scripts/bench.sh|--url https://users.example.com:99999|error: --url must be an http(s) URL",
                "scripts/bench.sh|--url https://users.example.com --rate 0|error: --rate must be a whole number of requests per second, at least 1, not '0'",
                "scripts/bench.sh|--url https://users.example.com --rate fast|error: --rate must be a whole number of requests per second",
                "scripts/bench.sh|--url https://users.example.com --rate 51|error: --rate 51 is above the cap of 50 req/s; raise the cap explicitly with --max-rate 51",
                "scripts/bench.sh|--url https://users.example.com --rate 200 --max-rate 100|error: --rate 200 is above the cap of 100 req/s",
                "scripts/bench.sh|--url https://users.example.com --duration 1|error: --duration must be at least 2 s with --url",
                "scripts/bench.sh|--url https://users.example.com --writes --duration 2|error: --duration must be at least 3 s with --url --writes",
                "scripts/bench.sh|--url https://users.example.com --connections 0|error: --connections must be a number of at least 1",
                "scripts/bench.sh|--url https://users.example.com --store memory|error: --store is for the local bench",
                "scripts/bench.sh|--url https://users.example.com --writes|error: --writes needs --token-file FILE",
                "scripts/bench.sh|--url https://users.example.com --token-file /etc/hostname|error: --token-file is only read with --writes",
                "scripts/bench.sh|--url https://users.example.com --writes --token-file /no/such/file|error: --token-file /no/such/file is not a readable file",
                "scripts/bench.sh|--url http://users.example.com --writes --token-file /etc/hostname|error: --writes sends the token: use https://",
                "scripts/bench.sh|--url https://users.example.com --verbose|error: unknown argument: --verbose",
                "scripts/bootstrap.sh|--provider minikube|error: --provider must be kind or k3d, not 'minikube'",
                "scripts/bootstrap.sh|--name Bad_Name|error: --name must be a DNS label",
                "scripts/bootstrap.sh|--http-port 70000|error: '70000' is not a TCP port",
                "scripts/bootstrap.sh|--https-port x|error: 'x' is not a TCP port",
                "scripts/bootstrap.sh|--repo http://example.com/r.git|error: --repo must be an https URL",
                "scripts/bootstrap.sh|--revision a;b|error: --revision 'a;b' is not a branch, tag or commit",
                "scripts/bootstrap.sh|--image|error: --image needs a value",
                "scripts/bootstrap.sh|--image ''|error: --image needs a value",
                "scripts/bootstrap.sh|--load-image|error: --load-image needs --image REF",
                "scripts/bootstrap.sh|--image UPPER/case:1|error: --image 'UPPER/case:1' is not an image reference",
                "scripts/bootstrap.sh|extra|error: unknown argument 'extra'",
                "scripts/promote.sh||",
                "scripts/promote.sh|dev|",
                "scripts/promote.sh|dev prod qa|",
                "scripts/promote.sh|staging prod|error: unknown environment 'staging'",
                "scripts/promote.sh|dev staging|error: unknown environment 'staging'",
                "scripts/promote.sh|dev dev|error: SOURCE and TARGET are both 'dev'",
                "scripts/promote.sh|../dev prod|error: unknown environment '../dev'",
                "scripts/promote.sh|ghcr.io/example/users-api@sha256:123 dev|is not NAME@sha256:<64 lower-case hex digits>",
                "scripts/promote.sh|ghcr.io/example/users-api:1.0 prod|error: unknown environment",
                "scripts/seal-secrets.sh||",
                "scripts/seal-secrets.sh|staging|error: unknown environment 'staging'",
                "scripts/seal-secrets.sh|../dev|error: unknown environment '../dev'",
                "scripts/seal-secrets.sh|.hidden|error: unknown environment '.hidden'",
                "scripts/seal-secrets.sh|dev prod|",
                "scripts/seal-secrets.sh|--cert|error: --cert needs a file",
                "scripts/seal-secrets.sh|--cert /nonexistent/cert.pem dev|error: --cert /nonexistent/cert.pem: no such file",
                "scripts/preview.sh||",
                "scripts/preview.sh|staging|error: unknown environment 'staging'",
                "scripts/preview.sh|../base|error: unknown environment '../base'",
                "scripts/preview.sh|dev prod|",
                "scripts/preview.sh|--diff nowhere|error: unknown environment 'nowhere'",
                "scripts/preview.sh|--diff dev prod|",
                "scripts/fork.sh||error: both --image and --repo are needed",
                "scripts/fork.sh|--image ghcr.io/acme/x|error: both --image and --repo are needed",
                "scripts/fork.sh|--repo https://github.com/acme/x.git|error: both --image and --repo are needed",
                "scripts/fork.sh|--image Ghcr.io/Acme/X --repo https://x/y.git|error: --image 'Ghcr.io/Acme/X' is not REGISTRY/OWNER/NAME",
                "scripts/fork.sh|--image ghcr.io/acme/x:1.0 --repo https://x/y.git|error: --image 'ghcr.io/acme/x:1.0' is not REGISTRY/OWNER/NAME",
                "scripts/fork.sh|--image ghcr.io/acme/x --repo ftp://x/y|error: --repo 'ftp://x/y' is not an https:// or git@ URL",
                "scripts/fork.sh|--image|error: --image needs a value",
                "scripts/test.sh|no-such-step|unknown step: no-such-step",
                "scripts/quality-gates-selftest.sh|no-such-gate|",
                "scripts/run.sh|--postgres extra|unknown argument: extra",
                "scripts/image-test.sh|extra|unknown argument: extra",
                "scripts/supply-chain-check.sh|extra|error: unknown argument 'extra'",
                "scripts/lib/release.sh||",
                "scripts/lib/release.sh|record|",
                "scripts/lib/release.sh|record prod extra|",
                "scripts/lib/release.sh|record staging|error: unknown environment 'staging'",
                "scripts/lib/release.sh|publish prod|",
                "scripts/lib/pin-is-newer.sh||",
                "scripts/lib/pin-is-newer.sh|dev|",
                "scripts/lib/pin-is-newer.sh|staging HEAD|error: unknown environment 'staging'",
                "scripts/lib/pin-is-newer.sh|../dev HEAD|error: unknown environment '../dev'",
                "scripts/lib/pin-is-newer.sh|dev HEAD extra|"
            })
    void aBadArgumentPrintsWhatIsWrongAndTheUsageOnStderrAndExits2(String script, String args, String message) {
        ScriptRun run = ScriptRun.run(TestRepository.root(), script, split(args));

        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(usageOf(script));
        if (message != null) {
            assertThat(run.err()).contains(message);
        }
    }

    /** The first line of a script's usage: from its --help, or for a library script the line it is known by. */
    private static String usageOf(String script) {
        if (LIBRARY_USAGE.containsKey(script)) {
            return LIBRARY_USAGE.get(script);
        }
        ScriptRun help = ScriptRun.run(TestRepository.root(), script, "--help");
        String line = usageLine(help.out(), script);
        assertThat(line).as("%s --help prints a usage line", script).isNotEmpty();
        return line;
    }

    /** The line that says "usage: SCRIPT" (any case), or "" if there is none. */
    private static String usageLine(String text, String script) {
        return text.lines()
                .filter(l -> l.toLowerCase(Locale.ROOT).contains("usage: " + script))
                .findFirst()
                .orElse("");
    }

    /** Splits on spaces; '' stands for an empty argument, null (an empty cell) for no arguments. */
    private static String[] split(String args) {
        if (args == null) {
            return new String[0];
        }
        return Arrays.stream(args.split(" ")).map(a -> a.equals("''") ? "" : a).toArray(String[]::new);
    }
}
