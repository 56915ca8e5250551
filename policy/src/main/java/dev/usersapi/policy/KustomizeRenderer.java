package dev.usersapi.policy;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders kustomizations with {@code kubectl kustomize} (or a standalone {@code kustomize}) and keeps each result for
 * the life of the renderer, so a test run renders every folder once (a render takes about 0.4 s).
 */
public final class KustomizeRenderer {

    /** Kustomize v5 is the first with every feature the manifests use (`labels:` with includeTemplates). */
    static final int MIN_KUSTOMIZE_MAJOR = 5;

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final long TIMEOUT_SECONDS = 120;
    private static volatile KustomizeRenderer shared;

    private final List<String> command;
    private final Map<Path, Outcome> cache = new ConcurrentHashMap<>();

    /** The rendered YAML, or kustomize's error. */
    public record Outcome(String yaml, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    private KustomizeRenderer(List<String> command) {
        this.command = command;
    }

    /** One renderer per JVM, found on this process's PATH. */
    public static KustomizeRenderer shared() {
        KustomizeRenderer r = shared;
        if (r == null) {
            synchronized (KustomizeRenderer.class) {
                if (shared == null) {
                    shared = locate(Optional.ofNullable(System.getenv("PATH")).orElse(""));
                }
                r = shared;
            }
        }
        return r;
    }

    /**
     * Finds kubectl (preferred: it is on the project's machines) or kustomize in {@code searchPath} and checks that
     * its kustomize is new enough; fails with what to install otherwise.
     */
    public static KustomizeRenderer locate(String searchPath) {
        Optional<Path> kubectl = onPath(searchPath, "kubectl");
        if (kubectl.isPresent()) {
            String out = run(List.of(kubectl.get().toString(), "version", "--client", "-o", "json"));
            JsonElement json = JsonParser.parseString(out);
            String v = Json.string(json, "kustomizeVersion").orElse("");
            return checked(List.of(kubectl.get().toString(), "kustomize"), kubectl.get() + " (kustomize " + v + ")", v);
        }
        Optional<Path> kustomize = onPath(searchPath, "kustomize");
        if (kustomize.isPresent()) {
            String v = run(List.of(kustomize.get().toString(), "version")).trim();
            return checked(List.of(kustomize.get().toString(), "build"), kustomize.get() + " (" + v + ")", v);
        }
        throw new IllegalStateException(
                "kubectl not found on PATH (" + searchPath + "): the policy renders every"
                        + " kustomization with `kubectl kustomize`; install kubectl 1.27 or newer (or kustomize v5) and put it on PATH");
    }

    private static KustomizeRenderer checked(List<String> command, String description, String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.find() || Integer.parseInt(m.group(1)) < MIN_KUSTOMIZE_MAJOR) {
            throw new IllegalStateException(description + " is too old: the manifests need kustomize v"
                    + MIN_KUSTOMIZE_MAJOR + " or newer (kubectl 1.27+); found '" + version + "'");
        }
        return new KustomizeRenderer(command);
    }

    public Outcome render(Path kustomizationFolder) {
        return cache.computeIfAbsent(kustomizationFolder.toAbsolutePath().normalize(), this::renderNow);
    }

    private Outcome renderNow(Path folder) {
        List<String> argv = new ArrayList<>(command);
        argv.add(folder.toString());
        try {
            Process process = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            CompletableFuture<String> stdout = readAsync(process.getInputStream());
            CompletableFuture<String> stderr = readAsync(process.getErrorStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Outcome(
                        null, "timed out after " + TIMEOUT_SECONDS + " s (a remote resource that cannot be fetched?)");
            }
            if (process.exitValue() != 0) {
                return new Outcome(null, firstLines(stderr.join()));
            }
            return new Outcome(stdout.join(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + folder, e);
        }
    }

    /** kubectl's log prefix ({@code E1122 04:36:39.639046   11460 run.go:72] "command failed" err=}) says nothing. */
    private static final Pattern KLOG_PREFIX =
            Pattern.compile("(?m)^[EWIF]\\d{4} [0-9:.]+\\s+\\d+ \\S+\\] (\"command failed\" err=)?");

    private static String firstLines(String stderr) {
        String oneLine = KLOG_PREFIX.matcher(stderr.strip()).replaceAll("").replaceAll("\\s*\\n\\s*", " | ");
        return oneLine.isEmpty()
                ? "failed without a message"
                : oneLine.length() > 600 ? oneLine.substring(0, 600) + "..." : oneLine;
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String run(List<String> argv) {
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Path> onPath(String searchPath, String name) {
        for (String dir : searchPath.split(File.pathSeparator, -1)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
