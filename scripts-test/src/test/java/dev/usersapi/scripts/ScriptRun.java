package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of scripts/ as a person would, with a kubeconfig that reaches no cluster (whatever the machine has
 * configured) and, where a test says so, a PATH that lacks chosen tools.
 */
record ScriptRun(int exit, String out, String err) {

    /** Everything the delivery scripts call, so that a sandbox PATH can offer exactly these. */
    private static final List<String> TOOLS = List.of(
            "bash",
            "sh",
            "env",
            "kubectl",
            "git",
            "awk",
            "sed",
            "grep",
            "cat",
            "mktemp",
            "rm",
            "cp",
            "mv",
            "mkdir",
            "diff",
            "cmp",
            "head",
            "tail",
            "tr",
            "sort",
            "wc",
            "paste",
            "dirname",
            "basename",
            "base64",
            "sha256sum",
            "cut",
            "seq",
            "ls",
            "readlink",
            "find",
            "chmod",
            "date",
            "sleep",
            "tee",
            "uname",
            "id");

    static ScriptRun run(Path repository, String script, Optional<Path> path, String... args) {
        List<String> argv = new ArrayList<>(List.of(
                path.map(p -> p.resolve("bash").toString()).orElse("bash"),
                repository.resolve(script).toString()));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(repository.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment()
                .put(
                        "KUBECONFIG",
                        TestRepository.root()
                                .resolve("scripts-test/src/test/resources/unreachable-kubeconfig.yaml")
                                .toString());
        path.ifPresent(p -> builder.environment().put("PATH", p.toString()));
        try {
            Process process = builder.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            assertThat(process.waitFor(120, TimeUnit.SECONDS))
                    .as("%s finished", script)
                    .isTrue();
            return new ScriptRun(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static ScriptRun run(Path repository, String script, String... args) {
        return run(repository, script, Optional.empty(), args);
    }

    /** A folder of links to the tools the scripts use, except the {@code hidden} ones: a machine without them. */
    static Path pathWithout(Path folder, Set<String> hidden) throws IOException {
        Path bin = Files.createDirectories(folder.resolve("bin"));
        for (String tool : TOOLS) {
            if (hidden.contains(tool)) {
                continue;
            }
            for (String dir :
                    Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    Files.createSymbolicLink(bin.resolve(tool), candidate.toAbsolutePath());
                    break;
                }
            }
        }
        return bin;
    }

    /** A copy of the parts of the repository the delivery scripts read and write. */
    static Path copyOfRepository(Path target) throws IOException {
        Path root = TestRepository.root();
        for (String folder : List.of("scripts", "base", "overlays", "charts", "monitoring", "gitops")) {
            try (var paths = Files.walk(root.resolve(folder))) {
                for (Path p : paths.filter(p -> !p.toString().contains("/node_modules/")
                                && !p.toString().contains("/target/"))
                        .toList()) {
                    Path copy = target.resolve(root.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(copy);
                    } else if (Files.isRegularFile(p)) {
                        Files.copy(p, copy);
                    }
                }
            }
        }
        return target;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
