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
 * reads the limit from the cgroup; here there is none). With the image's 20% that is a heap of about 51 MiB.
 */
public final class ImageJvm {
    /**
     * The pod size the image's flags are tuned for (Dockerfile comment: 256 MiB): the smallest limit a fork is
     * expected to run with, so the hostile-client cases are proven at the smallest heap (base/ and dev; prod has more).
     */
    public static final String POD_MEMORY = "256m";

    private static final Pattern TOOL_OPTIONS = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]+)\"");

    private ImageJvm() {}

    public static List<String> flags() {
        Path dockerfile = Path.of(System.getProperty("dockerfile", "Dockerfile"));
        String text;
        try {
            text = Files.readString(dockerfile);
        } catch (IOException e) {
            throw new UncheckedIOException("the image's JVM flags are read from " + dockerfile.toAbsolutePath(), e);
        }
        Matcher m = TOOL_OPTIONS.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(dockerfile + " sets no JAVA_TOOL_OPTIONS=\"...\"");
        }
        List<String> flags = new ArrayList<>(Arrays.asList(m.group(1).strip().split("\\s+")));
        flags.add("-XX:MaxRAM=" + POD_MEMORY);
        return flags;
    }
}
