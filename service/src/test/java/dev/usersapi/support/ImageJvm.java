package dev.usersapi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM the image runs: the flags of the Dockerfile's {@code JAVA_TOOL_OPTIONS}, read from the Dockerfile so
 * the tests cannot drift from it, in a JVM told that its machine has the pod's memory limit (in the pod the JVM
 * reads the limit from the cgroup; here there is none). With the image's 15% that is a heap of about 38 MiB.
 */
public final class ImageJvm {
    /**
     * The pod size the image's flags are tuned for (Dockerfile comment: 256 MiB): the smallest limit a fork is
     * expected to run with, so the hostile-client cases are proven at the smallest heap (base/ and dev; prod has more).
     */
    public static final String POD_MEMORY = "256m";

    private static final Pattern TOOL_OPTIONS = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]+)\"");
    private static final Pattern TRAINING_STAGE = Pattern.compile("(?s)\\nFROM app AS training\\n(.*?)\\nFROM ");
    private static final Pattern QUOTED_XX_FLAG = Pattern.compile("\"(-XX:[^\"]+)\"");

    private ImageJvm() {}

    public static List<String> flags() {
        Matcher m = TOOL_OPTIONS.matcher(dockerfile());
        if (!m.find()) {
            throw new IllegalStateException(dockerfilePath() + " sets no JAVA_TOOL_OPTIONS=\"...\"");
        }
        List<String> flags = new ArrayList<>(Arrays.asList(m.group(1).strip().split("\\s+")));
        flags.add("-XX:MaxRAM=" + POD_MEMORY);
        return flags;
    }

    /**
     * The flags the Dockerfile's training stage adds to the training JVM's command (such as leaving out the method
     * profiles), less the cache's output path and the pod size, which the caller sets with {@link #flags()}.
     * scripts/lib/build.sh's image_training_flags reads the same for scripts/bench.sh.
     */
    public static List<String> trainingFlags() {
        Matcher stage = TRAINING_STAGE.matcher(dockerfile());
        if (!stage.find()) {
            throw new IllegalStateException(dockerfilePath() + " has no 'FROM app AS training' stage");
        }
        List<String> flags = new ArrayList<>();
        Matcher flag = QUOTED_XX_FLAG.matcher(stage.group(1));
        while (flag.find()) {
            String f = flag.group(1);
            if (!f.startsWith("-XX:AOTCacheOutput=") && !f.startsWith("-XX:MaxRAM=")) {
                flags.add(f);
            }
        }
        return flags;
    }

    private static Path dockerfilePath() {
        return Path.of(System.getProperty("dockerfile", "Dockerfile"));
    }

    private static String dockerfile() {
        Path dockerfile = dockerfilePath();
        try {
            return Files.readString(dockerfile);
        } catch (IOException e) {
            throw new UncheckedIOException("the image's JVM flags are read from " + dockerfile.toAbsolutePath(), e);
        }
    }
}
