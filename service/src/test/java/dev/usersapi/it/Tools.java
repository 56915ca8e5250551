package dev.usersapi.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds an external tool on PATH or fails the test saying how to install it; never skips silently. */
final class Tools {
    private Tools() {}

    static String require(String name, String install) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError(name + " not found on PATH; install it (" + install + ")");
    }
}
