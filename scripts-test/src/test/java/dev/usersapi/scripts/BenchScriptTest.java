package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench.sh: its usage, its token-file checks, and its --url mode against the real service jar on loopback (the local benchmark itself is not run here: minutes of load on
 * a shared machine).
 */
class BenchScriptTest {

    private static final String SCRIPT = "scripts/bench.sh";

    @Test
    void aTokenFileWithoutATokenIsRefusedWithoutShowingIt(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Path notAToken = Files.writeString(dir.resolve("bad"), "secret value with spaces\n");

        ScriptRun emptyRun = ScriptRun.run(
                TestRepository.root(),
                SCRIPT,
                "--url",
                "https://users.example.com",
                "--writes",
                "--token-file",
                empty.toString());
        ScriptRun badRun = ScriptRun.run(
                TestRepository.root(),
                SCRIPT,
                "--url",
                "https://users.example.com",
                "--writes",
                "--token-file",
                notAToken.toString());

        assertThat(emptyRun.exit()).isEqualTo(2);
        assertThat(emptyRun.err()).contains("is empty: it must hold the bearer token on its first line");
        assertThat(badRun.exit()).isEqualTo(2);
        assertThat(badRun.err())
                .contains("its first line is not a bearer token")
                .doesNotContain("secret value");
    }

    @Test
    void plainHttpToAnotherHostIsWarnedAbout() {
        // .invalid never resolves (RFC 6761): the warning comes first, then the entry cannot be reached.
        ScriptRun run =
                ScriptRun.run(TestRepository.root(), SCRIPT, "--url", "http://users.invalid", "--duration", "2");

        assertThat(run.err())
                .contains("warning: http:// to users.invalid: requests and answers cross the network in clear text")
                .contains("error: cannot reach http://users.invalid/api/users");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void helpDescribesBothStoresTheReferencesAndTheUrlMode() {
        ScriptRun run = ScriptRun.run(TestRepository.root(), SCRIPT, "--help");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Usage: scripts/bench.sh [--store memory|postgres]")
                .contains("--store postgres")
                .contains("pgbench")
                .contains("nginx")
                .contains("paced at half that rate")
                .contains("--url URL")
                .contains("--max-rate (50)")
                .contains("--token-file")
                .doesNotContain("set -euo pipefail");
    }

    /** --url against the service jar the build packaged, on loopback ports of its own. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AgainstTheServiceOnLoopback {

        private static final String METRIC = "http_request_duration_seconds_count";
        private static final Pattern COUNT =
                Pattern.compile("^" + METRIC + "\\{(?<labels>.*)\\} (?<value>[0-9.eE+]+)$", Pattern.MULTILINE);
        private static final Pattern LABEL = Pattern.compile("(?<name>\\w+)=\"(?<value>[^\"]*)\"");

        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String token = "bench-test-" + UUID.randomUUID();
        private Path work;
        private Process service;
        private int httpPort;
        private int adminPort;

        @BeforeAll
        void startTheService() throws Exception {
            Path jar = TestRepository.root().resolve("service/target/users-api.jar");
            assertThat(jar)
                    .as("the service jar; build it first: ./mvnw -B -ntp -pl service -am package -DskipTests"
                            + " (./mvnw verify builds it before this module)")
                    .isRegularFile();
            work = Files.createTempDirectory("bench-url-test");
            Path tokens = Files.writeString(work.resolve("tokens"), "admin " + sha256Hex(token) + "\n");
            httpPort = freePort();
            adminPort = freePort();
            ProcessBuilder builder = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            // C1 only: the quickest start, and nothing here measures the service's speed.
                            "-XX:TieredStopAtLevel=1",
                            "-jar",
                            jar.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("service.log").toFile());
            builder.environment()
                    .putAll(Map.of(
                            "HTTP_PORT", String.valueOf(httpPort),
                            "ADMIN_PORT", String.valueOf(adminPort),
                            "USERS_API_TOKENS_FILE", tokens.toString(),
                            "USERS_API_DRAIN_SECONDS", "0"));
            service = builder.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (status("http://127.0.0.1:" + adminPort + "/health/ready") != 200) {
                assertThat(service.isAlive())
                        .as("the service runs; its log: %s", work.resolve("service.log"))
                        .isTrue();
                assertThat(System.nanoTime())
                        .as("the service is ready within 60 s")
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            for (int i = 1; i <= 5; i++) {
                HttpResponse<String> created = http.send(
                        HttpRequest.newBuilder(api())
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"name\":\"Seed " + i + "\",\"email\":\"seed" + i + "@example.org\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            }
        }

        @AfterAll
        void stopTheService() throws Exception {
            if (service != null) {
                service.destroy();
                if (!service.waitFor(10, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
            if (work != null) {
                try (var paths = Files.walk(work)) {
                    for (Path p :
                            paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }

        @Test
        void readOnlyRunSendsOnlyGetsWithinItsRate() throws Exception {
            Map<String, Double> before = requestsByMethod();

            ScriptRun run = ScriptRun.run(
                    TestRepository.root(),
                    SCRIPT,
                    "--url",
                    "http://127.0.0.1:" + httpPort,
                    "--duration",
                    "2",
                    "--rate",
                    "20",
                    "--connections",
                    "2");

            Map<String, Double> sent = difference(requestsByMethod(), before);
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.err()).doesNotContain("warning");
            assertThat(sent.keySet()).as("methods sent: %s", sent).containsOnly("GET");
            // 20 req/s for 2 s, plus the first list and two requests per part of slack; at least half of it reached.
            assertThat(sent.get("GET")).isBetween(20.0, 20.0 * 2 + 1 + 2 * 2);
            assertThat(run.out())
                    .contains("No nginx reference in this mode, so no × nginx ratios")
                    .contains("| GET /api/users | not run | | | 20 |")
                    .contains("| GET /api/users/{id} (of the users listed: 5) | not run | | | 20 |")
                    .doesNotContain("POST");
        }

        @Test
        void writesCreateTheirUsersAndDeleteThemAgain() throws Exception {
            Path tokenFile = Files.writeString(work.resolve("admin-token"), token + "\n");
            Map<String, Double> before = requestsByStatus();
            long usersBefore = totalUsers();

            ScriptRun run = ScriptRun.run(
                    TestRepository.root(),
                    SCRIPT,
                    "--url",
                    "http://127.0.0.1:" + httpPort,
                    "--writes",
                    "--token-file",
                    tokenFile.toString(),
                    "--duration",
                    "3",
                    "--rate",
                    "30");

            Map<String, Double> sent = difference(requestsByStatus(), before);
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(totalUsers()).as("users stored after the run").isEqualTo(usersBefore);
            assertThat(sent.get("POST 201")).as("creates: %s", sent).isPositive();
            assertThat(sent.get("DELETE 204")).as("deletes: %s", sent).isEqualTo(sent.get("POST 201"));
            assertThat(sent.keySet()).containsOnly("GET 200", "POST 201", "DELETE 204");
            assertThat(run.out())
                    .contains("| POST /api/users, then DELETE it (writes) | not run | | | 30 |")
                    .containsPattern("Writes: \\d+ users created; \\d+ deleted by the run, \\d+ by the clean-up"
                            + " after it; 0 left.");
            assertThat(run.out() + run.err()).doesNotContain(token);
        }

        private URI api() {
            return URI.create("http://127.0.0.1:" + httpPort + "/api/users");
        }

        private long totalUsers() throws IOException, InterruptedException {
            String page = http.send(HttpRequest.newBuilder(api()).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            Matcher total = Pattern.compile("\"total\":(\\d+)").matcher(page);
            assertThat(total.find()).as(page).isTrue();
            return Long.parseLong(total.group(1));
        }

        private Map<String, Double> requestsByMethod() throws IOException, InterruptedException {
            return requests(labels -> labels.get("method"));
        }

        private Map<String, Double> requestsByStatus() throws IOException, InterruptedException {
            return requests(labels -> labels.get("method") + " " + labels.get("status"));
        }

        /** The service's request counters (the http port's only), summed by a key of their labels. */
        private Map<String, Double> requests(java.util.function.Function<Map<String, String>, String> key)
                throws IOException, InterruptedException {
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Map<String, Double> sums = new TreeMap<>();
            Matcher m = COUNT.matcher(metrics);
            while (m.find()) {
                Map<String, String> labels = new TreeMap<>();
                Matcher l = LABEL.matcher(m.group("labels"));
                while (l.find()) {
                    labels.put(l.group("name"), l.group("value"));
                }
                sums.merge(key.apply(labels), Double.parseDouble(m.group("value")), Double::sum);
            }
            assertThat(sums).as("request counters in %s", metrics).isNotEmpty();
            return sums;
        }

        private int status(String url) {
            try {
                return http.send(
                                HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (IOException e) {
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** after - before, for the keys that grew. */
    private static Map<String, Double> difference(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> grown = new TreeMap<>();
        after.forEach((k, v) -> {
            double d = v - before.getOrDefault(k, 0.0);
            if (d > 0) {
                grown.put(k, d);
            }
        });
        return grown;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String sha256Hex(String text) throws NoSuchAlgorithmException {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
