package dev.usersapi.policy;

import java.nio.file.Files;
import java.nio.file.Path;

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
