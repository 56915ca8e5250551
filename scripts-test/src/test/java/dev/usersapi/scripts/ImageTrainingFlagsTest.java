package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/lib/build.sh's image_training_flags: what scripts/bench.sh adds to the JVM that trains its AOT cache, read
 * from the Dockerfile's training stage so that the bench's cache is trained as the image's is.
 */
class ImageTrainingFlagsTest {

    private static List<String> trainingFlags(Path repository) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        "bash",
                        "-c",
                        ". \"$1\"; image_training_flags",
                        "bash",
                        TestRepository.root().resolve("scripts/lib/build.sh").toString())
                .directory(repository.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    @Test
    void theTrainingStagesOwnFlagsLessTheCachePathAndPodSize(@TempDir Path repository) throws Exception {
        Files.createDirectories(repository.resolve("service"));
        Files.writeString(repository.resolve("service/Dockerfile"), """
                FROM jdk AS build
                RUN ["java", "-XX:+NotThisStage", "-version"]
                FROM base AS app
                ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC"
                FROM app AS training
                RUN ["/opt/java/bin/java", "-cp", "/opt/training", "TrainingRun", "/tmp/users-api.aot", \\
                     "/opt/java/bin/java", "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining", \\
                     "-XX:AOTCacheOutput=/tmp/users-api.aot", "-XX:MaxRAM=256m", "-jar", "/app/users-api.jar"]
                FROM app
                ENTRYPOINT ["/opt/java/bin/java", "-XX:AOTCache=/app/users-api.aot", "-jar", "/app/users-api.jar"]
                """);
        assertThat(trainingFlags(repository))
                .containsExactly("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining");
    }

    @Test
    void theShippedDockerfileTrainsWithoutMethodProfiles() throws Exception {
        assertThat(trainingFlags(TestRepository.root()))
                .contains("-XX:-AOTRecordTraining")
                .allMatch(flag -> flag.startsWith("-XX:"))
                .noneMatch(flag -> flag.startsWith("-XX:AOTCacheOutput=") || flag.startsWith("-XX:MaxRAM="));
    }
}
