package dev.usersapi.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.support.ImageJvm;
import dev.usersapi.support.ServiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's AOT training driver (service/aot/TrainingRun.java) against the packaged jar, before any image is
 * built: a route or status change that breaks the training fails here with the driver's message. The cache it
 * gets written (with the Dockerfile's training flags: no method profiles) must then start the service with
 * {@code -XX:AOTMode=on} (which refuses a cache it cannot use),
 * and the driver must fail when the service never gets ready.
 */
class AotTrainingRunIT {
    private static final Path DRIVER = Path.of("aot", "TrainingRun.java");
    private static final long TIMEOUT_MINUTES = 5;

    @Test
    void theApiMixPassesAndTheCacheItWritesStartsTheService(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("users-api.aot");
        List<String> app = new ArrayList<>();
        app.add(java());
        app.addAll(ImageJvm.trainingFlags());
        app.add("-XX:AOTCacheOutput=" + cache);
        app.addAll(ImageJvm.flags());
        app.addAll(List.of("-jar", jar()));

        Result training = runDriver(dir, cache, app);

        assertThat(ImageJvm.trainingFlags())
                .as("the image's training flags, read from the Dockerfile")
                .contains("-XX:-AOTRecordTraining");
        assertThat(training.exit).as("driver output:%n%s", training.output).isZero();
        assertThat(training.output).contains("rounds of the API mix answered as expected");
        assertThat(cache).isRegularFile();
        assertThat(Files.size(cache)).isGreaterThan(1_000_000);

        List<String> production = new ArrayList<>(ImageJvm.flags());
        production.addAll(List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"));
        try (ServiceProcess service = ServiceProcess.start(Map.of("USERS_API_DRAIN_SECONDS", "0"), production)) {
            assertThat(service.http().get("/api/users").status()).isEqualTo(200);
        }
    }

    @Test
    void failsWhenTheServiceExitsBeforeItIsReady(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("never.aot");

        Result training = runDriver(dir, cache, List.of(java(), "-version"));

        assertThat(training.exit).isNotZero();
        assertThat(training.output).contains("the service exited with 0 before it was ready");
        assertThat(cache).doesNotExist();
    }

    private record Result(int exit, String output) {}

    private static Result runDriver(Path dir, Path cache, List<String> appCommand)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(DRIVER)) {
            throw new IllegalStateException(DRIVER.toAbsolutePath() + " not found: run from the service module");
        }
        List<String> command = new ArrayList<>(List.of(java(), DRIVER.toString(), cache.toString()));
        command.addAll(appCommand);
        Path output = dir.resolve("driver.log");
        Process driver = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!driver.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            driver.destroyForcibly();
            throw new AssertionError("the training driver did not finish within " + TIMEOUT_MINUTES + " min");
        }
        return new Result(driver.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String jar() {
        Path jar = Path.of(System.getProperty("app.jar", "target/users-api.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run 'mvn package' (failsafe runs after it)");
        }
        return jar.toString();
    }
}
