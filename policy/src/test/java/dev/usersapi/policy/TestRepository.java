package dev.usersapi.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where the repository and the policy's fixtures are, for tests run by Maven or an IDE. */
final class TestRepository {

    private TestRepository() {}

    static Path root() {
        String configured = System.getProperty("policy.repository.root");
        Path start = Path.of(configured != null ? configured : System.getProperty("user.dir"))
                .toAbsolutePath()
                .normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("policy/pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (with policy/pom.xml) at or above " + start);
    }

    static Path fixtures() {
        return root().resolve("policy/src/test/resources/fixtures");
    }

    static Path fixture(String name) {
        return fixtures().resolve(name).resolve("kustomization.yaml");
    }

    static Policy policy() {
        return new Policy(root(), KustomizeRenderer.shared());
    }

    /** Copies these folders of the repository into {@code target} (no node_modules, no build output). */
    static Path copy(Path target, String... folders) throws IOException {
        Path root = root();
        for (String folder : folders) {
            try (Stream<Path> paths = Files.walk(root.resolve(folder))) {
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

    /** The service image's name, as scripts/lib/image-name.sh reads it from its one definition (base/kustomization.yaml). */
    static String serviceImage() {
        ScriptRun run = ScriptRun.run(root(), "scripts/lib/image-name.sh");
        if (run.exit() != 0) {
            throw new IllegalStateException("scripts/lib/image-name.sh failed: " + run.err());
        }
        return run.out().strip();
    }

    /** Copies fixtures/gitops-repository, a small repository with Argo CD Applications of its own, into {@code target}. */
    static void copyGitopsRepositoryFixture(Path target) throws java.io.IOException {
        Path fixture = fixtures().resolve("gitops-repository");
        try (java.util.stream.Stream<Path> paths = Files.walk(fixture)) {
            for (Path p : paths.toList()) {
                Path copy = target.resolve(fixture.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(p, copy);
                }
            }
        }
    }
}
