package dev.usersapi.policy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and the policy's fixtures are, for tests run by Maven or an IDE. */
final class TestRepository {

    private TestRepository() {
    }

    static Path root() {
        String configured = System.getProperty("policy.repository.root");
        Path start = Path.of(configured != null ? configured : System.getProperty("user.dir")).toAbsolutePath().normalize();
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
}
